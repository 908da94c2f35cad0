// The search-space module's public surface.
export { hp } from './hp.js';
export type { DistNode, NumericNode, ChoiceNode, InferParams, SpaceDefinition, NumericKind } from './nodes.js';
export { isDistNode } from './nodes.js';
export type { Distribution, DistributionKind } from './distributions.js';
export {
  snap,
  contains,
  sampleFromPrior,
  gridValues,
  gridSize,
  valueLabel,
  isIntegral,
  isLogScale,
  distributionKey,
} from './distributions.js';
export type { CompiledSpace, ParamSpec, ResolvedParams, PickValue } from './compile.js';
export { compileSpace, compileTree, canonicalJson } from './compile.js';
