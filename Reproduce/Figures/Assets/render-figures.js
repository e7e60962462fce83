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

// Rectangles in page pixels.
function reproduceRect(el) { const b = el.getBoundingClientRect(); return { l: b.left, r: b.right, t: b.top, b: b.bottom }; }
function reproduceOverlap(a, c, slack) {
  return Math.min(a.r, c.r) - Math.max(a.l, c.l) > slack && Math.min(a.b, c.b) - Math.max(a.t, c.t) > slack;
}

// What a reader could not read: a title cut at the figure's edge, an axis title drawn over another
// subplot's plot area, tick labels of one axis drawn over each other.
function reproduceLayoutProblems(gd, fig) {
  const problems = [];
  const page = reproduceRect(gd.querySelector('.main-svg'));
  const title = gd.querySelector('.gtitle');
  if (title && title.textContent) {
    const t = reproduceRect(title);
    if (t.l < page.l - 1 || t.r > page.r + 1)
      problems.push('title cut at the figure edge (' + Math.round(t.r - t.l) + ' px wide in a ' + Math.round(page.r - page.l) + ' px figure)');
  }
  const fl = gd._fullLayout;
  const plots = Object.keys(fl._plots || {}).map(id => {
    const p = fl._plots[id];
    return { id: id, rect: { l: page.l + p.xaxis._offset, r: page.l + p.xaxis._offset + p.xaxis._length, t: page.t + p.yaxis._offset, b: page.t + p.yaxis._offset + p.yaxis._length } };
  });
  for (const el of gd.querySelectorAll('.g-xtitle, .g-ytitle, [class^="g-x"][class$="title"], [class^="g-y"][class$="title"]')) {
    if (!el.textContent) continue;
    const cls = el.getAttribute('class');
    const m = /^g-([xy])(\d*)title$/.exec(cls);
    if (!m) continue;
    const own = m[1] + (m[2] || '');
    const r = reproduceRect(el);
    for (const p of plots) {
      const ids = /^x(\d*)y(\d*)$/.exec(p.id);
      const mine = ids && ((m[1] === 'x' && ('x' + ids[1]) === own) || (m[1] === 'y' && ('y' + ids[2]) === own));
      if (!mine && reproduceOverlap(r, p.rect, 2)) { problems.push('title of axis ' + own + ' drawn over subplot ' + p.id); break; }
    }
  }
  for (const p of plots) {
    const sub = gd.querySelector('.subplot.' + p.id);
    if (!sub) continue;
    for (const letter of ['x', 'y']) {
      const rects = [...sub.querySelectorAll('.' + letter + 'axislayer-above .' + letter + 'tick text')]
        .filter(t => t.textContent && t.getAttribute('display') !== 'none')
        // Angled labels (plotly.js turns crowded category labels) overlap only as boxes, not as text.
        .filter(t => !/rotate\(\s*-?[1-9]/.test(t.getAttribute('transform') || ''))
        .map(reproduceRect);
      let clash = null;
      for (let i = 0; i < rects.length && !clash; i++)
        for (let j = i + 1; j < rects.length; j++) if (reproduceOverlap(rects[i], rects[j], 1)) { clash = [i, j]; break; }
      if (clash) problems.push('tick labels of the ' + letter + ' axis of subplot ' + p.id + ' drawn over each other');
    }
  }
  return problems;
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
      r.layoutProblems = reproduceLayoutProblems(gd, fig);
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
