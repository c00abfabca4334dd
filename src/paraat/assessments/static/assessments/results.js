/* Effectiveness × societal impact scatter (progressive enhancement: the table #matrix-table
   holds the same values). Reads <script id="matrix-data">: {points: [{label, x, xmin, xmax,
   y, ymin, ymax}], axes: {x, y}}. Ranges are drawn as whiskers; every point is labelled with
   its option's name, so nothing rests on colour. */
(function () {
  "use strict";
  var dataEl = document.getElementById("matrix-data");
  var canvas = document.getElementById("matrix-chart");
  if (!dataEl || !canvas || typeof Chart === "undefined") { return; }
  var data = JSON.parse(dataEl.textContent);
  if (!data || !data.points || !data.points.length) {
    var box = canvas.parentElement;
    if (box && box.parentElement) { box.parentElement.hidden = true; }
    return;
  }
  var shapes = ["circle", "rect", "triangle", "rectRot", "star", "crossRot", "cross", "rectRounded"];

  function isNum(v) { return typeof v === "number" && isFinite(v); }
  function shortLabel(t) { return t.length > 42 ? t.slice(0, 41) + "…" : t; }

  var whiskers = {
    id: "paraatWhiskers",
    afterDatasetsDraw: function (chart) {
      var x = chart.scales.x, y = chart.scales.y, ctx = chart.ctx;
      ctx.save();
      ctx.strokeStyle = "#10294a";
      ctx.lineWidth = 1.5;
      ctx.fillStyle = "#10294a";
      ctx.font = "12px 'Fira Sans', Arial, sans-serif";
      data.points.forEach(function (p) {
        var px = x.getPixelForValue(p.x), py = y.getPixelForValue(p.y);
        if (isNum(p.xmin) && isNum(p.xmax)) {
          ctx.beginPath(); ctx.moveTo(x.getPixelForValue(p.xmin), py);
          ctx.lineTo(x.getPixelForValue(p.xmax), py); ctx.stroke();
        }
        if (isNum(p.ymin) && isNum(p.ymax)) {
          ctx.beginPath(); ctx.moveTo(px, y.getPixelForValue(p.ymin));
          ctx.lineTo(px, y.getPixelForValue(p.ymax)); ctx.stroke();
        }
        var right = px > chart.chartArea.left + 0.5 * (chart.chartArea.right - chart.chartArea.left);
        ctx.textAlign = right ? "right" : "left";
        ctx.fillText(shortLabel(p.label), px + (right ? -8 : 8), py - 8);
      });
      ctx.restore();
    }
  };

  new Chart(canvas, {
    type: "scatter",
    data: {
      datasets: data.points.map(function (p, i) {
        return { label: p.label, data: [{ x: p.x, y: p.y }], pointStyle: shapes[i % shapes.length],
          pointRadius: 6, borderColor: "#10294a", backgroundColor: "#1f4e79" };
      })
    },
    options: {
      maintainAspectRatio: false,
      animation: false,
      layout: { padding: { top: 18, right: 8 } },
      scales: {
        x: { min: -3, max: 3, title: { display: true, text: data.axes.x } },
        y: { grace: "8%", title: { display: true, text: data.axes.y } }
      },
      plugins: {
        tooltip: { callbacks: { label: function (item) {
          var p = data.points[item.datasetIndex];
          return p.label + ": " + p.x + " / " + p.y;
        } } }
      }
    },
    plugins: [whiskers]
  });
})();
