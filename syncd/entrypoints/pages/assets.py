"""The files the status page loads, served by the listener itself: no CDN, no other host."""

from __future__ import annotations

STATUS_CSS = """\
body { font: 15px/1.4 system-ui, sans-serif; margin: 0 auto; max-width: 72rem; padding: 0.5rem;
       color: #1d1d1f; background: #fafafa; }
h1 { font-size: 1.4rem; margin: 0.2rem 0; }
h2 { font-size: 1.15rem; margin: 1.2rem 0 0.4rem; border-bottom: 1px solid #ccc; }
h3 { font-size: 1rem; margin: 0.8rem 0 0.3rem; }
header p { margin: 0; color: #555; }
table { border-collapse: collapse; width: 100%; display: block; overflow-x: auto; }
th, td { text-align: left; padding: 0.2rem 0.5rem; border-bottom: 1px solid #e4e4e4;
         vertical-align: top; }
th { font-weight: 600; color: #444; white-space: nowrap; }
td:first-child { white-space: nowrap; }
.on-call { font-size: 1.1rem; }
.tier[data-tier="fire"] h3 { color: #b00020; }
.flag { background: #b00020; color: #fff; border-radius: 3px; padding: 0 0.3rem; }
.stale td { background: #fff3cd; }
.more { color: #555; }
#history img { max-width: 100%; height: auto; }
@media (max-width: 40rem) { body { font-size: 14px; } th, td { padding: 0.15rem 0.3rem; } }
"""
