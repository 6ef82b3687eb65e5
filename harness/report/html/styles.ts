// Inline CSS for report.html. The SVG is styled from here too (inline SVG in HTML takes page CSS), which keeps
// per-element markup short: a 20 × 10 run stays a few hundred KB.
export const STYLES = `
:root{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2937;background:#fff}
body{margin:24px auto;max-width:1000px;padding:0 16px}
h1{font-size:18px;margin:0;color:#475569;font-weight:600}
h2{font-size:18px;margin:32px 0 8px;border-bottom:1px solid #e5e7eb;padding-bottom:4px}
h3{font-size:15px;margin:20px 0 6px}
.verdict{font-size:64px;font-weight:800;letter-spacing:.04em;line-height:1.1;margin:8px 0 0}
.pass{color:#15803d}.fail{color:#b91c1c}
.why{font-size:16px;margin:4px 0 12px}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:2px 16px;margin:0}
dl.facts dt{color:#6b7280}dl.facts dd{margin:0;font-variant-numeric:tabular-nums}
table.summary{border-collapse:collapse;width:100%;font-variant-numeric:tabular-nums}
table.summary th,table.summary td{border-bottom:1px solid #e5e7eb;padding:4px 8px;text-align:right}
table.summary th:first-child,table.summary td:first-child,table.summary td.viol{text-align:left}
table.summary thead th{background:#f1f5f9}
tr.failed td{background:#fef2f2}
td.res.pass,td.res.fail{font-weight:700}
.violation{border-left:4px solid #dc2626;padding:2px 12px;margin:12px 0}
.violation.expected{border-left-color:#f59e0b}
pre.evidence{background:#f8fafc;border:1px solid #e5e7eb;padding:8px;max-height:360px;overflow:auto;white-space:pre-wrap;word-break:break-all;font-size:12px}
.meta{color:#475569;margin:0 0 6px}
.svg-wrap{overflow-x:auto}
svg{display:block;max-width:none}
svg text{font:11px system-ui,sans-serif;fill:#374151}
.tick{text-anchor:middle;fill:#6b7280}
.lane-bg{fill:#f8fafc}
.grid{stroke:#e5e7eb}
.origin{stroke:#475569;stroke-dasharray:4 3}
.overlap,.legend-overlap{fill:#dc2626;fill-opacity:.22;stroke:#dc2626;stroke-width:1}
.span.active{fill:#cbd5e1}
.span.lock{fill:#f59e0b}
.span.process{fill:#94a3b8}
.span.ownership{fill:#2563eb}
.span.red{fill:#dc2626}
.lane.dup .lane-label,.lane.overlapping .lane-label{fill:#b91c1c;font-weight:700}
.mark.barrier line{stroke:#475569;stroke-width:1.5}
.mark.lock-acquired path,.mark.lock-released path{stroke:#92400e;fill:none;stroke-width:2}
.mark.spawn path{fill:#7c3aed}
.mark.ensure-end circle{fill:#16a34a;stroke:#fff}
.mark.ensure-error path,.mark.claim-failed path,.mark.fenced path{stroke:#ea580c;stroke-width:2.5}
.mark.start circle{fill:#fff;stroke:#334155;stroke-width:1.5}
.mark.claimed line{stroke:#1e3a8a;stroke-width:3}
.mark.released line{stroke:#1e3a8a;stroke-width:1.5;stroke-dasharray:2 2}
.mark.ready path{fill:#16a34a;stroke:#fff}
.mark.exit rect{fill:#334155}
.inject line{stroke:#c2410c;stroke-width:1.5;stroke-dasharray:5 3}.inject path,.legend-inject{fill:#c2410c}
details.group{margin:10px 0;border:1px solid #e5e7eb;border-radius:4px;padding:4px 10px}
details.group>summary{font-weight:600;cursor:pointer}
details.violation>summary{cursor:pointer}
footer{margin:40px 0 16px;color:#6b7280;font-size:12px}
`;
