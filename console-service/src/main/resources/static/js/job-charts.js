// Draws a job's runs with uPlot: duration, bytes and files per run, each with the band the anomaly rule takes as
// usual, and the quota use with the forecast line to the quota. The data comes from #charts' data-charts (the rules'
// job detail). window.vigilCharts lists what was drawn, with its number of points.
(function () {
  var holder = document.getElementById('charts');
  if (!holder || typeof uPlot === 'undefined') { return; }
  var data = JSON.parse(holder.getAttribute('data-charts') || '{}');
  window.vigilCharts = [];
  function seconds(at) { return typeof at === 'number' ? at : Date.parse(at) / 1000; }
  function width(el) { return Math.max(280, Math.min(900, el.clientWidth || 600)); }
  function bytes(v) {
    if (v == null) { return ''; }
    var units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'], i = 0;
    while (Math.abs(v) >= 1024 && i < units.length - 1) { v /= 1024; i++; }
    return (i === 0 ? v : v.toFixed(1)) + ' ' + units[i];
  }
  function duration(v) {
    if (v == null) { return ''; }
    if (v >= 3600) { return (v / 3600).toFixed(1) + ' h'; }
    if (v >= 60) { return Math.round(v / 60) + ' min'; }
    return Math.round(v) + ' s';
  }
  function draw(id, title, xs, ys, band, format) {
    var el = document.getElementById(id);
    if (!el) { return; }
    var series = [{}, { label: title, stroke: '#1565c0', width: 2, points: { show: true, size: 6 },
      value: function (u, v) { return format(v); } }];
    var columns = [xs, ys];
    var bands = [];
    if (band) {
      columns.push(xs.map(function () { return band.high; }));
      columns.push(xs.map(function () { return band.low; }));
      columns.push(xs.map(function () { return band.median; }));
      series.push({ label: 'usual, high', stroke: '#9e9e9e', dash: [4, 4], value: function (u, v) { return format(v); } });
      series.push({ label: 'usual, low', stroke: '#9e9e9e', dash: [4, 4], value: function (u, v) { return format(v); } });
      series.push({ label: 'median', stroke: '#bdbdbd', value: function (u, v) { return format(v); } });
      bands.push({ series: [2, 3], fill: 'rgba(46,125,50,0.12)' });
    }
    var plot = new uPlot({ width: width(el), height: 220, series: series, bands: bands,
      axes: [{}, { values: function (u, vals) { return vals.map(format); }, size: 70 }] }, columns, el);
    el.setAttribute('role', 'img');
    el.setAttribute('aria-label', title + ': ' + ys.length + ' runs, last ' + format(ys[ys.length - 1])
      + (band ? ', usual ' + format(band.low) + ' to ' + format(band.high) : ''));
    window.vigilCharts.push({ id: id, points: ys.filter(function (v) { return v != null; }).length, plot: plot });
  }
  var runs = data.runs || [];
  var xs = runs.map(function (r) { return seconds(r.at); });
  var baselines = data.baselines || {};
  draw('chart-duration', 'Duration', xs, runs.map(function (r) { return r.durationSeconds; }), baselines.durationSeconds, duration);
  draw('chart-bytes', 'Bytes', xs, runs.map(function (r) { return r.bytes; }), baselines.bytes, bytes);
  draw('chart-files', 'Files', xs, runs.map(function (r) { return r.files; }), baselines.files, function (v) { return v == null ? '' : String(Math.round(v)); });

  var quota = data.quota || [];
  var qel = document.getElementById('chart-quota');
  if (qel && quota.length) {
    var qx = quota.map(function (q) { return seconds(q.at); });
    var used = quota.map(function (q) { return q.usedBytes; });
    var total = quota.map(function (q) { return q.totalBytes; });
    var forecast = quota.map(function () { return null; });
    var slope = data.quotaSlopeBytesPerDay || 0;
    var last = quota[quota.length - 1];
    if (slope > 0) {
      // the fitted growth from the last report to the quota, at most 90 days ahead
      var days = Math.min(90, (last.totalBytes - last.usedBytes) / slope);
      forecast[forecast.length - 1] = last.usedBytes;
      qx.push(qx[qx.length - 1] + days * 86400);
      used.push(null);
      total.push(last.totalBytes);
      forecast.push(last.usedBytes + slope * days);
    }
    var qplot = new uPlot({ width: width(qel), height: 220,
      series: [{}, { label: 'used', stroke: '#1565c0', width: 2, points: { show: true, size: 6 }, value: function (u, v) { return bytes(v); } },
        { label: 'quota', stroke: '#c62828', value: function (u, v) { return bytes(v); } },
        { label: 'forecast', stroke: '#e65100', dash: [6, 4], spanGaps: true, value: function (u, v) { return bytes(v); } }],
      axes: [{}, { values: function (u, vals) { return vals.map(bytes); }, size: 70 }] }, [qx, used, total, forecast], qel);
    qel.setAttribute('role', 'img');
    qel.setAttribute('aria-label', 'Quota use: ' + bytes(last.usedBytes) + ' of ' + bytes(last.totalBytes)
      + (slope > 0 ? ', growing ' + bytes(slope) + ' a day' : ''));
    window.vigilCharts.push({ id: 'chart-quota', points: quota.length, plot: qplot });
  }
})();
