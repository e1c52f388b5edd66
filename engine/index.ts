export * from './activations';
export * from './initializers';
export * from './losses';
export * from './class-weights';
export * from './metrics';
export * from './network';
export * from './optimizers';
export * from './random';
export * from './schedules';
export * from './tensor';
export * from './trainer';
export * from './output-head';
export type { Kernels } from './kernels/types';
export { referenceKernels } from './kernels/reference';
export {
  createWasmKernels, DEFAULT_KERNEL_SET, defaultKernels, fmaFusesHere, KERNEL_SETS, kernelSetOf, kernelsOf, wasmFmaAvailable, wasmSimdAvailable, type KernelSet, type WasmKernelOptions,
} from './kernels';
export * from './gradient-check';
export * from './model';
export * from './data/table';
export * from './data/numbers';
export * from './data/columns';
export * from './data/task';
export * from './data/split';
export * from './data/preprocessing';
export * from './data/dataset';
export * from './data/column-builder';
export * from './data/columnar';
