// Renders Plotly figures one after another in this page and reports, for each, what plotly.js
// actually placed (from the rendered SVG and plotly.js's own axis mappings) and, when asked, a PNG.
// Used by Reproduce.Figures.ChromiumRenderer (PNG export) and the browser test. Written for
// plotly.js 3.0.1 (the pinned bundle): it reads gd.calcdata and gd._fullLayout, which are internal.
'use strict';

function reproduceFinite(v) { return typeof v === 'number' && isFinite(v); }

// "translate(12.5,40)" -> [12.5, 40], or null.
function reproduceTranslate(el) {
  const m = /translate\(\s*([-+0-9.eE]+)[ ,]+([-+0-9.eE]+)\s*\)/.exec(el.getAttribute('transform') || '');
  return m ? [Number(m[1]), Number(m[2])] : null;
}

function reproduceAxis(gd, ref, letter) {
  const name = letter + 'axis' + (ref && ref.length > 1 ? ref.slice(1) : '');
  return gd._fullLayout[name];
}

// Marks placed by trace i: markers as SVG points, lines as finite pixel positions along a drawn
// path, bars as rectangles of finite position and size, heat-map cells as grid cells of finite
// pixel extent under a drawn image.
function reproduceMarks(gd, fig) {
  const res = fig.data.map((t, i) => ({ index: i, type: t.type || 'scatter', name: t.name || '', expected: 0, placed: 0, problems: [] }));
  fig.data.forEach((t, i) => {
    const r = res[i];
    if (r.type === 'scatter' || r.type === 'bar') {
      const x = t.x || [], y = t.y || [];
      if (x.length !== y.length) r.problems.push('x has ' + x.length + ' values but y has ' + y.length);
      // A bar of height 0 has no area to draw, so only non-zero bars are expected.
      for (let j = 0; j < Math.min(x.length, y.length); j++)
        if (x[j] !== null && y[j] !== null && !(r.type === 'bar' && y[j] === 0)) r.expected++;
    } else if (r.type === 'heatmap') {
      for (const row of (t.z || [])) for (const v of row) if (v !== null) r.expected++;
    } else {
      r.problems.push('unknown trace kind ' + r.type);
    }
  });
  // Heat maps are drawn in a "g.hm" group (no "trace" class) in plotly.js 3.
  for (const g of gd.querySelectorAll('g.trace, g.hm')) {
    const cd = g.__data__;
    const tr = cd && cd[0] && cd[0].trace;
    if (!tr || !res[tr.index]) continue;
    const r = res[tr.index];
    const xa = reproduceAxis(gd, tr.xaxis, 'x'), ya = reproduceAxis(gd, tr.yaxis, 'y');
    if (r.type === 'scatter') {
      const mode = tr.mode || '';
      if (mode.indexOf('markers') >= 0) {
        for (const p of g.querySelectorAll('path.point')) {
          const xy = reproduceTranslate(p);
          if (xy && reproduceFinite(xy[0]) && reproduceFinite(xy[1])) r.placed++;
        }
      } else {
        const lines = [...g.querySelectorAll('path.js-line')].filter(p => (p.getAttribute('d') || '').length > 1 && !/NaN|Infinity/.test(p.getAttribute('d')));
        if (lines.length === 0) r.problems.push('no line drawn');
        else for (const c of cd) if (reproduceFinite(xa.c2p(c.x)) && reproduceFinite(ya.c2p(c.y))) r.placed++;
      }
    } else if (r.type === 'bar') {
      for (const p of g.querySelectorAll('g.point path')) {
        const b = p.getBBox();
        if ([b.x, b.y, b.width, b.height].every(reproduceFinite) && b.width > 0 && b.height > 0) r.placed++;
      }
    } else if (r.type === 'heatmap') {
      const img = g.querySelector('image');
      const b = img ? img.getBBox() : null;
      if (!b || !(b.width > 0 && b.height > 0)) { r.problems.push('no heat-map image drawn'); continue; }
      const c0 = cd[0], z = c0.z || [];
      const px = (c0.x || []).map(v => xa.c2p(v)), py = (c0.y || []).map(v => ya.c2p(v));
      // Cell edges ("bricks"): n+1 edges for n columns.
      for (let i = 0; i < z.length; i++) for (let j = 0; j < z[i].length; j++) {
        if (z[i][j] === null || z[i][j] === undefined) continue;
        const ok = [px[j], px[j + 1], py[i], py[i + 1]].every(reproduceFinite) && px[j + 1] !== px[j] && py[i + 1] !== py[i];
        if (ok) r.placed++;
      }
      for (const [t, ax, key] of [[fig.data[tr.index], xa, 'x'], [fig.data[tr.index], ya, 'y']]) {
        const labels = (t[key] || []).filter(v => typeof v === 'string');
        if (labels.length === 0) continue;
        const cats = ax._categories || [];
        const missing = labels.filter(l => cats.indexOf(l) < 0);
        if (ax.type !== 'category' || missing.length > 0)
          r.problems.push(key + ' labels not on a category grid (axis type ' + ax.type + ', missing ' + missing.slice(0, 3).join(', ') + ')');
      }
    }
  }
  return res;
}

async function reproduceRenderAll(figs, images) {
  const out = [];
  for (const fig of figs) {
    const gd = document.createElement('div');
    document.body.appendChild(gd);
    const r = {};
    try {
      const layout = fig.layout || {};
      await Plotly.newPlot(gd, fig.data || [], layout, { staticPlot: true });
      r.traces = reproduceMarks(gd, fig);
      if (images) r.png = await Plotly.toImage(gd, { format: 'png', width: layout.width || 800, height: layout.height || 500 });
    } catch (e) {
      r.error = String((e && e.stack) || e);
    }
    Plotly.purge(gd);
    gd.remove();
    out.push(r);
  }
  return out;
}
