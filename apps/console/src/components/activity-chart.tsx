/** Deploys and failures per minute as bars (SVG), with the same figures in a table for screen readers. */
export function ActivityChart({ buckets, hours }: { buckets: Array<{ at: string; deploys: number; failures: number }>; hours: number }) {
  const width = 720;
  const height = 120;
  const minutes = hours * 60;
  const start = Date.now() - minutes * 60_000;
  const most = Math.max(1, ...buckets.map((b) => b.deploys + b.failures));
  const x = (at: string) => ((new Date(at).getTime() - start) / (minutes * 60_000)) * width;
  const barWidth = Math.max(1, width / minutes - 0.5);
  const deploys = buckets.reduce((n, b) => n + b.deploys, 0);
  const failures = buckets.reduce((n, b) => n + b.failures, 0);
  return (
    <figure>
      <svg viewBox={`0 0 ${width} ${height + 16}`} role="img" aria-label={`${deploys} deploys and ${failures} failures in the last ${hours} hours`} class="chart">
        <line x1="0" y1={height} x2={width} y2={height} class="axis" />
        {buckets.map((b) => {
          const h = (b.deploys / most) * height;
          const f = (b.failures / most) * height;
          return (
            <g key={b.at}>
              <rect x={x(b.at)} y={height - h - f} width={barWidth} height={h} class="bar-deploys">
                <title>{`${new Date(b.at).toLocaleTimeString()}: ${b.deploys} deploys, ${b.failures} failures`}</title>
              </rect>
              {b.failures > 0 && <rect x={x(b.at)} y={height - f} width={barWidth} height={f} class="bar-failures" />}
            </g>
          );
        })}
        <text x="0" y={height + 14} class="tick">
          {hours} h ago
        </text>
        <text x={width} y={height + 14} text-anchor="end" class="tick">
          now
        </text>
      </svg>
      <figcaption>
        <span class="legend legend-deploys">deploys</span> <span class="legend legend-failures">failures</span> per minute, last {hours} hours: {deploys} deploys, {failures} failures
      </figcaption>
    </figure>
  );
}
