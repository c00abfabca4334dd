/* Timeline chart (progressive enhancement: the page works without it). */
(function () {
  "use strict";
  var dataEl = document.getElementById("timeline-data");
  var canvas = document.getElementById("timeline-chart");
  var labelsEl = document.getElementById("timeline-labels");
  if (!dataEl || !canvas || !labelsEl || typeof Chart === "undefined") { return; }
  var data = JSON.parse(dataEl.textContent);
  var L = labelsEl.dataset;
  var eventDates = {};
  data.events.forEach(function (e) { eventDates[e.date] = (eventDates[e.date] ? eventDates[e.date] + "; " : "") + e.title; });

  var markers = {
    id: "paraatMarkers",
    afterDatasetsDraw: function (chart) {
      var x = chart.scales.x, area = chart.chartArea, ctx = chart.ctx;
      ctx.save();
      ctx.lineWidth = 1;
      ctx.strokeStyle = "rgba(80,80,80,0.45)";
      ctx.setLineDash([3, 3]);
      Object.keys(eventDates).forEach(function (d) {
        var i = data.dates.indexOf(d);
        if (i < 0) { return; }
        var px = x.getPixelForValue(i);
        ctx.beginPath(); ctx.moveTo(px, area.top); ctx.lineTo(px, area.bottom); ctx.stroke();
      });
      if (data.selected) {
        var s = data.dates.indexOf(data.selected);
        if (s >= 0) {
          var sx = x.getPixelForValue(s);
          ctx.setLineDash([]); ctx.lineWidth = 3; ctx.strokeStyle = "#000";
          ctx.beginPath(); ctx.moveTo(sx, area.top); ctx.lineTo(sx, area.bottom); ctx.stroke();
          ctx.fillStyle = "#000"; ctx.font = "bold 12px 'Fira Sans', Arial, sans-serif";
          ctx.fillText(L.selected + ": " + data.selected, Math.min(sx + 4, area.right - 150), area.top + 12);
        }
      }
      ctx.restore();
    }
  };

  var chart = new Chart(canvas, {
    type: "line",
    data: {
      labels: data.dates,
      datasets: [
        { label: L.stringency, data: data.stringency, yAxisID: "y", borderColor: "#154273",
          backgroundColor: "#154273", borderWidth: 2.5, pointRadius: 0, stepped: true, spanGaps: true },
        { label: L.hospital, data: data.hospital7d, yAxisID: "y2", borderColor: "#ca005d",
          backgroundColor: "#ca005d", borderWidth: 2, borderDash: [6, 3], pointRadius: 0, spanGaps: true },
        { label: L.ic, data: data.ic7d, yAxisID: "y2", borderColor: "#8b4a00",
          backgroundColor: "#8b4a00", borderWidth: 2, borderDash: [2, 2], pointRadius: 0, spanGaps: true }
      ]
    },
    options: {
      maintainAspectRatio: false,
      animation: false,
      interaction: { mode: "index", intersect: false },
      scales: {
        x: { ticks: { maxTicksLimit: 12 } },
        y: { min: 0, max: 100, position: "left", title: { display: true, text: L.index } },
        y2: { min: 0, position: "right", grid: { drawOnChartArea: false }, title: { display: true, text: L.admissions } }
      },
      plugins: {
        legend: { labels: { usePointStyle: false } },
        tooltip: { callbacks: { afterTitle: function (items) { var d = items[0].label; return eventDates[d] || ""; } } }
      },
      onClick: function (evt, elements, c) {
        var pts = c.getElementsAtEventForMode(evt, "index", { intersect: false }, false);
        if (!pts.length) { return; }
        var day = data.dates[pts[0].index];
        var url = new URL(window.location.href);
        url.searchParams.set("day", day);
        url.hash = "in-force";
        window.location.assign(url.toString());
      }
    },
    plugins: [markers]
  });
  canvas.parentElement.style.height = "24rem";
  var target = document.getElementById("in-force");
  if (target && window.location.hash === "#in-force") { target.focus(); }
  void chart;
})();
