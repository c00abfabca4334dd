/* Time-series chart (progressive enhancement: every page with a chart also has a table).
   Reads the JSON in <script id="chart-data">: {dates, series: [{label, values, axis, color,
   dash, stepped}], axes: {y: {title, max}, y2: {title}}, events: [{date, title}], selected,
   selectedLabel, clickParam}. Clicking a day navigates to ?<clickParam>=<date>#in-force. */
(function () {
  "use strict";
  var dataEl = document.getElementById("chart-data");
  var canvas = document.getElementById("series-chart");
  if (!dataEl || !canvas || typeof Chart === "undefined") { return; }
  var data = JSON.parse(dataEl.textContent);
  var eventDates = {};
  (data.events || []).forEach(function (e) {
    eventDates[e.date] = (eventDates[e.date] ? eventDates[e.date] + "; " : "") + e.title;
  });

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
      var s = data.selected ? data.dates.indexOf(data.selected) : -1;
      if (s >= 0) {
        var sx = x.getPixelForValue(s);
        ctx.setLineDash([]); ctx.lineWidth = 3; ctx.strokeStyle = "#000";
        ctx.beginPath(); ctx.moveTo(sx, area.top); ctx.lineTo(sx, area.bottom); ctx.stroke();
        ctx.fillStyle = "#000"; ctx.font = "bold 12px 'Fira Sans', Arial, sans-serif";
        ctx.fillText(data.selectedLabel + ": " + data.selected, Math.min(sx + 4, area.right - 150), area.top + 12);
      }
      ctx.restore();
    }
  };

  var scales = { x: { ticks: { maxTicksLimit: 12 } } };
  Object.keys(data.axes).forEach(function (id) {
    var axis = data.axes[id];
    scales[id] = { min: 0, position: id === "y" ? "left" : "right", title: { display: true, text: axis.title } };
    if (axis.max !== undefined && axis.max !== null) { scales[id].max = axis.max; }
    if (id !== "y") { scales[id].grid = { drawOnChartArea: false }; }
  });

  new Chart(canvas, {
    type: "line",
    data: {
      labels: data.dates,
      datasets: data.series.map(function (s) {
        return { label: s.label, data: s.values, yAxisID: s.axis || "y", borderColor: s.color,
          backgroundColor: s.color, borderWidth: s.width || 2, borderDash: s.dash || [],
          pointRadius: 0, stepped: !!s.stepped, spanGaps: true };
      })
    },
    options: {
      maintainAspectRatio: false,
      animation: false,
      interaction: { mode: "index", intersect: false },
      scales: scales,
      plugins: {
        tooltip: { callbacks: { afterTitle: function (items) { return eventDates[items[0].label] || ""; } } }
      },
      onClick: function (evt, elements, c) {
        var pts = c.getElementsAtEventForMode(evt, "index", { intersect: false }, false);
        if (!pts.length) { return; }
        var url = new URL(window.location.href);
        url.searchParams.set(data.clickParam || "day", data.dates[pts[0].index]);
        url.hash = "in-force";
        window.location.assign(url.toString());
      }
    },
    plugins: [markers]
  });
  canvas.parentElement.style.height = "24rem";
  var target = document.getElementById("in-force");
  if (target && window.location.hash === "#in-force") { target.focus(); }
})();
