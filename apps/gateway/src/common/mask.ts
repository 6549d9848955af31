/** How a secured value is shown in every answer. */
export const MASK = '********';
