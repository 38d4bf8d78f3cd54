/*
 * slant serve page: posts the pasted article to POST /v1/analyze and draws
 * the JSON document with SlantReport.render (web/report.js, the one
 * renderer), next to the legend from GET /v1/techniques (fetched once).
 * API errors ({"error": {code, message}}) are shown under the button.
 */
(function () {
  'use strict';
  var form = document.getElementById('form');
  var button = document.getElementById('analyze');
  var status = document.getElementById('status');
  var result = document.getElementById('result');
  var techniques = null;

  function say(msg, isError) {
    status.textContent = msg;
    status.className = isError ? 'error' : '';
  }

  function getJSON(resp) {
    return resp.json().then(function (body) {
      if (!resp.ok) {
        var e = body && body.error;
        throw new Error(e ? e.message + ' (' + e.code + ')' : 'HTTP ' + resp.status);
      }
      return body;
    });
  }

  function legend() {
    if (techniques) return Promise.resolve(techniques);
    return fetch('/v1/techniques').then(getJSON).then(function (t) { techniques = t; return t; });
  }

  form.addEventListener('submit', function (ev) {
    ev.preventDefault();
    var text = document.getElementById('text').value;
    var title = document.getElementById('title').value.trim();
    if (!text.trim()) { say('Paste an article first.', true); return; }
    var body = { text: text };
    if (title) body.id = title;
    button.disabled = true;
    say('Analysing…', false);
    var started = Date.now();
    legend().then(function (t) {
      return fetch('/v1/analyze', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body)
      }).then(getJSON).then(function (doc) {
        SlantReport.render(result, doc, t);
        var n = (doc.fragments || []).length;
        say(n + ' fragment' + (n === 1 ? '' : 's') + ' in ' + (Date.now() - started) + ' ms', false);
      });
    }).catch(function (e) {
      say(e.message, true);
    }).then(function () { button.disabled = false; });
  });
})();
