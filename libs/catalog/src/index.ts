export * from './flow-steps';
export * from './parameters/interpolate';
export * from './parameters/mask-secrets';
export * from './parameters/resolve-input-parameters';
export * from './service-document';
export * from './validate-service-document';
export * from './version-declarations';
