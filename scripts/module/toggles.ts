/**
 * Switches that really remove a component: every resource and data source of the component gets
 * `count = <condition> ? 1 : 0`; the renderer then indexes references to them (`[0]` inside the component,
 * `one(x[*].attr)` outside, null when off). Rules switched "off" but left deployed are not a toggle.
 */
import { IConstruct } from 'constructs';
import { TerraformDataSource, TerraformResource } from 'cdktf';

/** `count` on every resource and data source under `scope` (but those `keep` says stay whatever the condition). */
export function toggle(scope: IConstruct, condition: string, keep: (c: IConstruct) => boolean = () => false): void {
  for (const child of scope.node.findAll()) {
    if (!(child instanceof TerraformResource || child instanceof TerraformDataSource) || keep(child)) continue;
    if (child.forEach) throw new Error(`${child.node.path} is iterated; a toggle cannot add count to it`);
    child.addOverride('count', `\${${condition} ? 1 : 0}`);
  }
}
