/**
 * Resolves the CloudFormation intrinsics a synthesized state machine definition contains
 * (`Fn::Join`, `Ref` of pseudo parameters, `Fn::GetAtt` of functions) into plain values, so the
 * same definition can run where no CloudFormation exists.
 */

export interface CfnResolveContext {
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
  readonly urlSuffix?: string;
  /** A `Ref` to a resource of the template, when the definition contains any. */
  readonly ref?: (logicalId: string) => string | undefined;
  /** A `Fn::GetAtt` of a resource of the template, e.g. a function's `Arn`. */
  readonly getAtt?: (logicalId: string, attribute: string) => string | undefined;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function pseudoParameter(name: string, ctx: CfnResolveContext): string | undefined {
  switch (name) {
    case 'AWS::Partition':
      return ctx.partition;
    case 'AWS::Region':
      return ctx.region;
    case 'AWS::AccountId':
      return ctx.accountId;
    case 'AWS::URLSuffix':
      return ctx.urlSuffix ?? 'amazonaws.com';
    default:
      return undefined;
  }
}

function asString(value: unknown, what: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new Error(`${what} did not resolve to a string: ${JSON.stringify(value)}`);
}

export function resolveCfnValue(value: unknown, ctx: CfnResolveContext): unknown {
  if (Array.isArray(value)) return value.map((item) => resolveCfnValue(item, ctx));
  if (!isRecord(value)) return value;

  const keys = Object.keys(value);
  const only = keys.length === 1 ? keys[0] : undefined;
  if (only === 'Ref') {
    const name = asString(value.Ref, 'Ref');
    const resolved = pseudoParameter(name, ctx) ?? ctx.ref?.(name);
    if (resolved === undefined) throw new Error(`cannot resolve Ref ${name}`);
    return resolved;
  }
  if (only === 'Fn::GetAtt') {
    const target = value['Fn::GetAtt'];
    const [logicalId, attribute] = Array.isArray(target) ? target : asString(target, 'Fn::GetAtt').split('.');
    const resolved = ctx.getAtt?.(asString(logicalId, 'Fn::GetAtt'), asString(attribute, 'Fn::GetAtt'));
    if (resolved === undefined) throw new Error(`cannot resolve Fn::GetAtt ${JSON.stringify(target)}`);
    return resolved;
  }
  if (only === 'Fn::Join') {
    const args = value['Fn::Join'];
    if (!Array.isArray(args) || args.length !== 2 || !Array.isArray(args[1])) {
      throw new Error(`malformed Fn::Join: ${JSON.stringify(args)}`);
    }
    const separator = asString(args[0], 'Fn::Join separator');
    const parts = args[1] as unknown[];
    return parts.map((part) => asString(resolveCfnValue(part, ctx), 'Fn::Join part')).join(separator);
  }
  if (only?.startsWith('Fn::')) throw new Error(`unsupported intrinsic ${only}`);

  return Object.fromEntries(keys.map((key) => [key, resolveCfnValue(value[key], ctx)]));
}
