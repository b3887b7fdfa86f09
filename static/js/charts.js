// Draws the dashboard charts with Plotly (static/vendor/plotly/plotly-custom.min.js, loaded
// with `defer` before this script, on chart pages only).
//
// The template writes, for each chart:
//   <div class="app-chart" data-app-chart="chart-radar" aria-hidden="true"></div>
//   {{ figure|json_script:"chart-radar" }}     (plotly.py's {"data": [...], "layout": {...}})
//
// Each chart repeats a text summary and a data table on the same page, so a chart that cannot
// be drawn is left empty and hidden, and the error goes to the console. Nothing else is lost.
(function () {
  "use strict";

  var CONFIG = { displayModeBar: false, displaylogo: false, responsive: true };
  var DRAWN = "app-chart--drawn";

  function fail(container, error) {
    try {
      if (window.Plotly) {
        window.Plotly.purge(container);
      }
    } catch (ignored) {
      // Already failing; clearing the element below is what matters.
    }
    while (container.firstChild) {
      container.removeChild(container.firstChild);
    }
    container.classList.remove(DRAWN);
    container.hidden = true;
    console.error(
      'charts.js: could not draw chart "' + container.getAttribute("data-app-chart") + '".',
      error
    );
  }

  function readFigure(container) {
    var id = container.getAttribute("data-app-chart");
    var source = id && document.getElementById(id);
    if (!source) {
      throw new Error('No figure JSON element with id "' + id + '".');
    }
    var figure = JSON.parse(source.textContent);
    if (!figure || !Array.isArray(figure.data)) {
      throw new Error('Figure JSON "' + id + '" has no "data" list.');
    }
    // A trace type left out of the custom bundle would otherwise draw empty axes, silently.
    var problems = window.Plotly.validate(figure.data, figure.layout || {}) || [];
    for (var i = 0; i < problems.length; i++) {
      if (problems[i].astr === "type") {
        throw new Error(problems[i].msg + "; the Plotly bundle does not include it.");
      }
    }
    return figure;
  }

  function draw(container) {
    // Harmless if the script is included twice.
    if (container.classList.contains(DRAWN) || container.hidden) {
      return;
    }
    try {
      var figure = readFigure(container);
      window.Plotly.newPlot(container, figure.data, figure.layout || {}, CONFIG).then(
        function () {
          container.classList.add(DRAWN);
          offerDownloads(container);
        },
        function (error) {
          fail(container, error);
        }
      );
    } catch (error) {
      fail(container, error);
    }
  }

  // "Download this chart as PNG or SVG": the image is made from the drawn figure itself.
  function offerDownloads(container) {
    var id = container.getAttribute("data-app-chart");
    var offer = document.querySelector('[data-app-chart-downloads="' + id + '"]');
    if (!offer || typeof window.Plotly.downloadImage !== "function") {
      return;
    }
    var buttons = offer.querySelectorAll("[data-app-chart-image]");
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].addEventListener("click", function (event) {
        var format = event.currentTarget.getAttribute("data-format");
        window.Plotly.downloadImage(container, {
          format: format,
          filename: id,
          width: Math.max(container.offsetWidth, 900),
          height: Math.max(container.offsetHeight, 500),
        });
      });
    }
    offer.hidden = false;
  }

  function drawAll() {
    var containers = document.querySelectorAll("[data-app-chart]");
    for (var i = 0; i < containers.length; i++) {
      if (window.Plotly && typeof window.Plotly.newPlot === "function") {
        draw(containers[i]);
      } else {
        fail(containers[i], new Error("Plotly is not loaded."));
      }
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();
