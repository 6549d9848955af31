/** What the gateway does with a callback, by its stage. */
export type StageClass = 'vm' | 'service' | 'other';

export function classifyStage(stage: string | undefined): StageClass {
  if (!stage) return 'other';
  if (stage.startsWith('VM_')) return 'vm';
  if (stage.startsWith('SERVICE_')) return 'service';
  return 'other';
}

/**
 * Order of VM life stages, so a callback that arrives late never moves a VM backwards. Stages of
 * equal rank (alive, updated, stopped, started...) follow each other in arrival order.
 */
export function vmStageRank(stage: string): number {
  switch (stage) {
    case 'VM_DEPLOYED':
      return 10;
    case 'VM_UNDEPLOYED':
      return 100;
    default:
      return 20;
  }
}

/** The service stage that ends each ESC operation successfully. */
export const FINAL_STAGE_OF_OPERATION = {
  CREATE_DEPLOYMENT: 'SERVICE_ALIVE',
  UPDATE_DEPLOYMENT: 'SERVICE_UPDATED',
  DELETE_DEPLOYMENT: 'SERVICE_UNDEPLOYED',
} as const;

export type EscOperation = keyof typeof FINAL_STAGE_OF_OPERATION;

export function isSuccessCode(code: number | undefined): boolean {
  return code !== undefined && code >= 200 && code < 300;
}
