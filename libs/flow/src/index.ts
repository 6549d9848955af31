export * from './check-service';
export * from './kinds/registry';
export * from './kinds/resthook.kind';
export * from './kinds/step-kind';
export * from './plan-action';
export * from './render-step';
export * from './step-plan';
export * from './template-cache';
