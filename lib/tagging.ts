/**
 * Tags on every resource whose schema takes them: an aspect visits the construct tree at synth time and gives each
 * taggable resource that sets no tags of its own the given tags (own literal tags are merged over them). Taggable means
 * the provider binding has a `tags` argument — the same test the tags test makes against `terraform providers schema`.
 */
import { IConstruct } from 'constructs';
import { Aspects, IAspect, TerraformResource, Token } from 'cdktf';

interface Taggable {
  tags: Record<string, string>;
  readonly tagsInput?: Record<string, string>;
}

/** True when the resource's binding has a settable `tags` argument. */
export function isTaggable(resource: TerraformResource): boolean {
  for (let proto = Object.getPrototypeOf(resource); proto; proto = Object.getPrototypeOf(proto)) {
    const tags = Object.getOwnPropertyDescriptor(proto, 'tags');
    if (tags) return tags.set !== undefined;
  }
  return false;
}

/** The aspect: `tags` (a literal map, or a map token like the module's `merge(var.tags, …)`) on taggable resources. */
export class TagResources implements IAspect {
  constructor(private readonly tags: Record<string, string>) {}

  visit(node: IConstruct): void {
    if (!(node instanceof TerraformResource) || !isTaggable(node)) return;
    const resource = node as unknown as Taggable;
    const own = resource.tagsInput;
    if (own === undefined) resource.tags = this.tags;
    else if (!Token.isUnresolved(own) && !Token.isUnresolved(this.tags)) resource.tags = { ...this.tags, ...own };
    // A resource with tags only Terraform knows chose them itself (the module's node group tags include the module's).
  }
}

/** Tags every taggable resource under `scope`. */
export function tagResources(scope: IConstruct, tags: Record<string, string>): void {
  Aspects.of(scope).add(new TagResources(tags));
}
