import { ComponentChildren } from 'preact';

/**
 * Content that may scroll sideways (a wide table in a narrow card): a named region that takes the
 * keyboard's focus, so that it can be scrolled without a mouse (WCAG 2.1.1).
 */
export function ScrollRegion({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    <div class="scroll" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}
