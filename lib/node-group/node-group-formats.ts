/**
 * Formats the node group rules check in TypeScript; their HCL twins are in node-group-rules.ts. Pure (no cdktf).
 */

/**
 * EC2 instance type names: a lowercase family with its generation digit (m7i, c6gn, u-6tb1, mac2-m2pro), a dot and the
 * size (large, 2xlarge, metal-24xl). "Instance type naming conventions", Amazon EC2 Instance Types guide,
 * https://docs.aws.amazon.com/ec2/latest/instancetypes/instance-type-names.html
 */
export function isInstanceType(instanceType: string): boolean {
  return /^[a-z][a-z0-9-]*[0-9][a-z0-9-]*\.[a-z0-9-]+$/.test(instanceType);
}

/** Graviton families carry a `g` after the generation digit (m7g, c6gn, r8g, t4g, x2gd…), plus a1 (same guide). */
export function isArmInstanceType(instanceType: string): boolean {
  return /^([a-z]+[0-9]+g[a-z]*|a1)\./.test(instanceType);
}

/** Strict base64 as Terraform's base64decode accepts it (line breaks ignored; the result must be UTF-8). */
function decodeBase64(text: string): string | undefined {
  const compact = text.replace(/[\r\n]/g, '');
  if (compact.length === 0 || compact.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(compact)) return undefined;
  const bytes = Buffer.from(compact, 'base64');
  const decoded = bytes.toString('utf8');
  return Buffer.from(decoded, 'utf8').equals(bytes) ? decoded : undefined;
}

const isScript = (text: string) => /^(#!|#cloud-config)/.test(text.trimStart());

/**
 * The user's extra user data as a script: the text itself when it is a shell script (`#!…`) or `#cloud-config`, the
 * decoded text when it is base64 of one (terraform-aws-modules users pass `base64encode(...)` out of habit), otherwise
 * undefined (rejected by the user_data rule).
 */
export function normalizeUserData(userData: string): string | undefined {
  if (isScript(userData)) return userData;
  const decoded = decodeBase64(userData.trim());
  return decoded !== undefined && isScript(decoded) ? decoded : undefined;
}

/**
 * {@link normalizeUserData} as HCL over the value `x` (non-null): the decoded text when `x` is base64 of a script,
 * else `x`. (Terraform's base64decode fails on invalid base64 and on non-UTF-8 results, as decodeBase64 above.)
 */
export function userDataHcl(x: string): string {
  const decoded = `(can(base64decode(${x})) ? base64decode(${x}) : "")`;
  const script = (t: string) => `(startswith(trimspace(${t}), "#!") || startswith(trimspace(${t}), "#cloud-config"))`;
  return `(${script(x)} ? ${x} : (${script(decoded)} ? ${decoded} : ${x}))`;
}
