/*
 * slant report renderer: turns the JSON document of an analysed article
 * (docs/JSON.md, schema_version 1) into the highlighted article, a detail
 * panel (click or hover a fragment: technique, confidence, why), a
 * per-technique bar chart, the top sentences and a legend with each
 * technique's definition. Used by the HTML report (`slant analyze --format
 * html`, which embeds this file) and by `slant serve`'s page.
 *
 *   SlantReport.render(element, doc, techniques)   one article into element
 *   SlantReport.renderIndex(element, index, techniques)   the index of a batch
 *   SlantReport.renderPage(element, page)   page = {kind: "article", document,
 *                                           techniques} or {kind: "index", ...}
 *
 * techniques is the legend array (report_json_techniques / GET
 * /v1/techniques): {index, name, display, short, colour, definition}.
 *
 * Offsets are code points: the text is split with Array.from, so characters
 * outside the BMP count once, as in the corpus. Overlapping fragments are
 * drawn as runs: each <mark class="slant-frag"> covers a run of text with
 * the same set of fragments, listed in its data-fragments attribute.
 */
(function (root) {
  'use strict';

  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        if (k === 'text') e.textContent = attrs[k];
        else if (k === 'style') e.style.cssText = attrs[k];
        else e.setAttribute(k, attrs[k]);
      });
    }
    (children || []).forEach(function (c) {
      if (c !== null && c !== undefined) e.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
    });
    return e;
  }

  function pct(x) { return (Math.round(x * 1000) / 10).toFixed(1) + '%'; }

  function colourOf(techniques, t) {
    if (!t) return '#999999';
    var found = (techniques || []).filter(function (x) { return x.name === t.name; })[0];
    return found ? found.colour : '#999999';
  }

  function meter(score) {
    return el('span', { 'class': 'slant-meter', title: 'article score ' + score.toFixed(3) },
              [el('span', { style: 'width:' + pct(Math.max(0, Math.min(1, score))) })]);
  }

  /* ---- article text with highlighted runs ---- */

  function drawArticle(doc, techniques, onSelect) {
    var cps = Array.from(doc.text);
    var frags = doc.fragments;
    var cuts = [0, cps.length];
    frags.forEach(function (f) { cuts.push(f.start, f.end); });
    cuts = cuts.filter(function (v, i, a) { return a.indexOf(v) === i && v <= cps.length; })
               .sort(function (a, b) { return a - b; });
    var box = el('div', { 'class': 'slant-article', lang: 'en' });
    for (var i = 0; i + 1 < cuts.length; i++) {
      var a = cuts[i], b = cuts[i + 1];
      var text = cps.slice(a, b).join('');
      var active = [];
      frags.forEach(function (f, k) { if (f.start <= a && f.end >= b && f.start < f.end) active.push(k); });
      if (!active.length) { box.appendChild(document.createTextNode(text)); continue; }
      /* the innermost (shortest) fragment gives the colour */
      var inner = active.slice().sort(function (x, y) {
        return (frags[x].end - frags[x].start) - (frags[y].end - frags[y].start) || x - y;
      })[0];
      var c = colourOf(techniques, frags[inner].technique);
      var title = active.map(function (k) {
        var t = frags[k].technique;
        return (t ? t.display : 'propaganda') + ' (' + pct(frags[k].confidence) + ')';
      }).join('; ');
      var mark = el('mark', { 'class': 'slant-frag', tabindex: '0', 'data-fragments': active.join(' '),
                              title: title, style: '--c:' + c }, [text]);
      (function (m, ks) {
        m.addEventListener('click', function () { onSelect(ks, m); });
        m.addEventListener('mouseenter', function () { onSelect(ks, m); });
        m.addEventListener('keydown', function (ev) { if (ev.key === 'Enter') onSelect(ks, m); });
      })(mark, active);
      box.appendChild(mark);
      /* tags for the fragments that end here */
      active.forEach(function (k) {
        if (frags[k].end === b) {
          var t = frags[k].technique;
          box.appendChild(el('span', { 'class': 'slant-tag', 'aria-hidden': 'true',
                                       style: '--c:' + colourOf(techniques, t),
                                       text: t ? t.short : 'SPAN' }));
        }
      });
    }
    return box;
  }

  function drawDetail(panel, doc, techniques, ks) {
    panel.textContent = '';
    ks.forEach(function (k) {
      var f = doc.fragments[k], t = f.technique, c = colourOf(techniques, t);
      var ex = f.explanation || {};
      var bars = el('div', { 'class': 'slant-bars' });
      (ex.probabilities || []).forEach(function (p) {
        var pc = colourOf(techniques, { name: p.technique });
        bars.appendChild(el('span', { text: p.display }));
        bars.appendChild(el('span', {}, [el('span', { 'class': 'slant-bar', style: '--c:' + pc + ';display:block;width:' + pct(p.p) })]));
        bars.appendChild(el('span', { text: pct(p.p) }));
      });
      panel.appendChild(el('div', { 'class': 'slant-fragment-detail', 'data-fragment': String(k), style: '--c:' + c }, [
        el('h3', {}, [el('span', { 'class': 'slant-swatch', style: '--c:' + c }),
                      el('span', { 'class': 'slant-technique', text: t ? t.display : 'Propaganda (technique unknown)' })]),
        el('div', { 'class': 'slant-meta', text: 'confidence ' + pct(f.confidence) + ' \u00b7 code points [' + f.start + ', ' + f.end + ')' }),
        el('blockquote', { text: f.text }),
        el('div', { 'class': 'slant-why' }, [
          el('strong', { text: 'Why: ' }),
          'the span tagger is ' + pct(ex.span_confidence || 0) + ' sure this is a propaganda span' +
            ((ex.cues || []).length ? ', mostly because of the words ' +
              ex.cues.map(function (c) { return '\u201c' + c.text + '\u201d'; }).join(', ') : '') +
            ((ex.probabilities || []).length ? '; the technique classifier gives:' : '.')]),
        bars
      ]));
    });
  }

  function drawChart(doc, techniques) {
    var counts = doc.technique_counts || [];
    var max = counts.reduce(function (m, c) { return Math.max(m, c.count); }, 0);
    var chart = el('div', { 'class': 'slant-bars slant-chart' });
    counts.forEach(function (c) {
      var col = colourOf(techniques, { name: c.technique });
      var t = (techniques || []).filter(function (x) { return x.name === c.technique; })[0];
      chart.appendChild(el('span', { text: t ? t.display : c.technique }));
      chart.appendChild(el('span', {}, [el('span', { 'class': 'slant-bar', 'data-technique': c.technique,
        style: '--c:' + col + ';display:block;width:' + pct(max ? c.count / max : 0) })]));
      chart.appendChild(el('span', { text: String(c.count) }));
    });
    if (!counts.length) chart.appendChild(el('span', { text: 'No technique found.' }));
    return chart;
  }

  function drawLegend(doc, techniques) {
    var found = {};
    (doc && doc.technique_counts || []).forEach(function (c) { found[c.technique] = c.count; });
    var ul = el('ul', { 'class': 'slant-legend' });
    (techniques || []).forEach(function (t) {
      ul.appendChild(el('li', { 'class': found[t.name] ? '' : 'slant-absent', style: '--c:' + t.colour }, [
        el('span', { 'class': 'slant-swatch' }),
        el('strong', { text: t.display }), ' ', el('code', { text: t.short }),
        found[t.name] ? ' \u00d7' + found[t.name] : '',
        el('p', { text: t.definition })]));
    });
    return ul;
  }

  function drawSentences(doc) {
    var cps = Array.from(doc.text);
    var top = (doc.sentences || []).slice().sort(function (a, b) { return b.score - a.score || a.start - b.start; }).slice(0, 3);
    var ol = el('ol', { 'class': 'slant-sentences' });
    top.forEach(function (s) {
      ol.appendChild(el('li', {}, [el('strong', { text: s.score.toFixed(3) + ' ' }),
                                   cps.slice(s.start, s.end).join('').replace(/\s+/g, ' ').trim()]));
    });
    return ol;
  }

  /* ---- public ---- */

  function render(target, doc, techniques) {
    target.textContent = '';
    target.classList.add('slant');
    var detail = el('div', { 'class': 'slant-panel slant-detail', 'aria-live': 'polite' });
    var current = null;
    var article = drawArticle(doc, techniques, function (ks, mark) {
      if (current) current.classList.remove('slant-active');
      current = mark;
      mark.classList.add('slant-active');
      drawDetail(detail, doc, techniques, ks);
    });
    var model = doc.model || {};
    target.appendChild(el('header', {}, [
      el('h1', { text: doc.id }),
      el('div', { 'class': 'slant-meta', text: (doc.path ? doc.path + ' \u00b7 ' : '') + doc.length.codepoints +
        ' characters \u00b7 ' + doc.fragments.length + ' fragment' + (doc.fragments.length === 1 ? '' : 's') +
        ' \u00b7 model ' + model.name + ' ' + model.version }),
      el('div', { 'class': 'slant-score' }, ['Article score', meter(doc.score),
        el('span', { 'class': 'slant-score-value', text: doc.score.toFixed(3) })])
    ]));
    target.appendChild(el('div', { 'class': 'slant-layout' }, [
      el('div', {}, [article, el('h2', { text: 'Most propagandistic sentences' }), drawSentences(doc)]),
      el('div', { 'class': 'slant-side' }, [
        detail,
        el('div', { 'class': 'slant-panel' }, [el('h2', { text: 'Techniques found' }), drawChart(doc, techniques)]),
        el('div', { 'class': 'slant-panel' }, [el('h2', { text: 'Legend' }), drawLegend(doc, techniques)])
      ])
    ]));
  }

  function renderIndex(target, index, techniques) {
    target.textContent = '';
    target.classList.add('slant');
    var rows = (index.articles || []).map(function (a) {
      return el('tr', {}, [
        el('td', {}, [a.href ? el('a', { href: a.href, text: a.id }) : a.id]),
        el('td', { 'class': 'num', text: a.error ? '' : a.score.toFixed(3) }),
        el('td', {}, [a.error ? el('span', { text: 'failed: ' + a.error }) : meter(a.score)]),
        el('td', { 'class': 'num', text: a.error ? '' : String(a.fragments) })]);
    });
    target.appendChild(el('h1', { text: 'slant report: ' + rows.length + ' article' + (rows.length === 1 ? '' : 's') }));
    if (index.model) target.appendChild(el('div', { 'class': 'slant-meta', text: 'model ' + index.model.name + ' ' + index.model.version }));
    target.appendChild(el('table', { 'class': 'slant-index' }, [
      el('thead', {}, [el('tr', {}, [el('th', { text: 'Article' }), el('th', { text: 'Score' }), el('th', {}),
                                     el('th', { text: 'Fragments' })])]),
      el('tbody', {}, rows)]));
    target.appendChild(el('h2', { text: 'Legend' }));
    target.appendChild(drawLegend(null, techniques));
  }

  function renderPage(target, page) {
    if (page.kind === 'index') renderIndex(target, page, page.techniques);
    else render(target, page.document, page.techniques);
  }

  root.SlantReport = { render: render, renderIndex: renderIndex, renderPage: renderPage };
})(typeof window !== 'undefined' ? window : this);
