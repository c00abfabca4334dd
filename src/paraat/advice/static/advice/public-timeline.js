/* Public timeline of advice milestones against hospital admissions (progressive enhancement:
   the page has the same data in tables and as CSV). Reads the JSON in
   <script id="advice-timeline-data">: {dates, hospital: {label, values}, axis,
   kinds: [{key, label, color, point, dash}], milestones: [{date, kind, title, url}]}.
   Milestones are drawn as markers in a band at the bottom (one row and shape per kind) and
   as vertical lines with the kind's dash pattern; clicking a marker opens the advice. */
(function () {
  "use strict";
  var dataEl = document.getElementById("advice-timeline-data");
  var canvas = document.getElementById("advice-timeline-chart");
  if (!dataEl || !canvas || typeof Chart === "undefined") { return; }
  var data = JSON.parse(dataEl.textContent);
  var index = {};
  data.dates.forEach(function (d, i) { index[d] = i; });

  // per kind: the milestones by date index
  var byKind = {};
  data.kinds.forEach(function (k) { byKind[k.key] = {}; });
  data.milestones.forEach(function (m) {
    var i = index[m.date];
    if (i === undefined || !byKind[m.kind]) { return; }
    (byKind[m.kind][i] = byKind[m.kind][i] || []).push(m);
  });

  var datasets = [{
    label: data.hospital.label,
    data: data.hospital.values,
    yAxisID: "y",
    borderColor: "#ca005d",
    backgroundColor: "#ca005d",
    borderWidth: 2,
    pointRadius: 0,
    pointStyle: "line",
    spanGaps: true
  }];
  data.kinds.forEach(function (k, row) {
    var values = data.dates.map(function (_d, i) { return byKind[k.key][i] ? row + 1 : null; });
    datasets.push({
      label: k.label,
      kindKey: k.key,
      data: values,
      yAxisID: "milestones",
      showLine: false,
      pointStyle: k.point,
      pointRadius: 7,
      pointHoverRadius: 9,
      borderColor: k.color,
      backgroundColor: k.color
    });
  });

  var lines = {
    id: "adviceMilestoneLines",
    beforeDatasetsDraw: function (chart) {
      var x = chart.scales.x, area = chart.chartArea, ctx = chart.ctx;
      ctx.save();
      ctx.lineWidth = 1;
      data.kinds.forEach(function (k) {
        ctx.strokeStyle = k.color;
        ctx.globalAlpha = 0.6;
        ctx.setLineDash(k.dash || []);
        Object.keys(byKind[k.key]).forEach(function (i) {
          var px = x.getPixelForValue(Number(i));
          ctx.beginPath(); ctx.moveTo(px, area.top); ctx.lineTo(px, area.bottom); ctx.stroke();
        });
      });
      ctx.restore();
    }
  };

  new Chart(canvas, {
    type: "line",
    data: { labels: data.dates, datasets: datasets },
    options: {
      maintainAspectRatio: false,
      animation: false,
      interaction: { mode: "nearest", axis: "x", intersect: false },
      scales: {
        x: { ticks: { maxTicksLimit: 12 } },
        y: { min: 0, position: "left", title: { display: true, text: data.axis } },
        milestones: { display: false, min: 0, max: data.kinds.length + 4 }
      },
      plugins: {
        legend: { labels: { usePointStyle: true } },
        tooltip: {
          filter: function (item) { return item.raw !== null && item.raw !== undefined; },
          callbacks: {
            label: function (item) {
              var kind = item.dataset.kindKey;
              if (!kind) {
                return item.dataset.label + ": " + (Math.round(item.raw * 10) / 10);
              }
              return (byKind[kind][item.dataIndex] || []).map(function (m) {
                return item.dataset.label + ": " + m.title;
              });
            }
          }
        }
      },
      onClick: function (evt, _elements, chart) {
        var hits = chart.getElementsAtEventForMode(evt, "nearest", { intersect: true }, false);
        for (var h = 0; h < hits.length; h++) {
          var kind = chart.data.datasets[hits[h].datasetIndex].kindKey;
          var found = kind && byKind[kind][hits[h].index];
          if (found && found.length) { window.location.assign(found[0].url); return; }
        }
      }
    },
    plugins: [lines]
  });
})();
