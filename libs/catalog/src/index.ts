export * from './flow-steps';
export * from './resolve-parameters';
export * from './service-document';
export * from './validate-service-document';
export * from './action-parameters';
export * from './check-service';
