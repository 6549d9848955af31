export * from './outbound-policy';
