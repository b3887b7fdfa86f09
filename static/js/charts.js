// Draws the dashboard charts with Plotly, each only when it comes near the screen.
//
// The template writes, for each chart:
//   <div class="app-chart" data-app-chart="chart-radar" aria-hidden="true">
//     <svg class="app-chart__space" width="100%" height="480"></svg></div>  (the chart's height)
//   {{ figure|json_script:"chart-radar" }}     ({"data": [...], "layout": {...}}, Plotly's format)
// and loads this script with `defer` and the Plotly bundle's address in `data-plotly`.
//
// Why lazily: evaluating Plotly takes about half a second of a phone's main thread and drawing
// every chart at once nearly a second more, all while the reader is still on the headline
// figures at the top. So the bundle is fetched only when the first chart is within a screen of
// view, and each chart is drawn in its own task. Each box keeps the chart's height from the
// start, so drawing moves nothing on the page.
//
// Each chart repeats a text summary and a data table on the same page, so a chart that cannot
// be drawn is left empty and hidden, and the error goes to the console. Nothing else is lost.
(function () {
  "use strict";

  var CONFIG = { displayModeBar: false, displaylogo: false, responsive: true };
  var DRAWN = "app-chart--drawn";
  var script = document.currentScript;
  var plotlySource = script && script.getAttribute("data-plotly");
  var plotlyWaiting = null; // callbacks waiting for the bundle, while it loads
  var drawQueue = [];

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

  // Calls `ready` once Plotly is there, fetching the bundle the first time it is needed.
  function withPlotly(ready, failed) {
    if (window.Plotly && typeof window.Plotly.newPlot === "function") {
      ready();
      return;
    }
    if (plotlyWaiting) {
      plotlyWaiting.push([ready, failed]);
      return;
    }
    plotlyWaiting = [[ready, failed]];
    var loader = document.createElement("script");
    loader.src = plotlySource;
    loader.async = true;
    function settle(ok) {
      var waiting = plotlyWaiting;
      plotlyWaiting = null;
      for (var i = 0; i < waiting.length; i++) {
        if (ok && window.Plotly) {
          waiting[i][0]();
        } else {
          waiting[i][1](new Error("Plotly is not loaded."));
        }
      }
    }
    loader.addEventListener("load", function () {
      settle(true);
    });
    loader.addEventListener("error", function () {
      settle(false);
    });
    if (!plotlySource) {
      settle(false);
      return;
    }
    document.head.appendChild(loader);
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
      // The chart takes the place of the box that held its height, in the same task, so
      // the page never sees the box empty.
      var space = container.querySelector(".app-chart__space");
      if (space) {
        container.style.minHeight = space.getBoundingClientRect().height + "px";
        container.removeChild(space);
      }
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

  // One chart a task, so no single task holds the main thread for all of them.
  function drawNext() {
    var container = drawQueue.shift();
    if (!container) {
      return;
    }
    draw(container);
    if (drawQueue.length) {
      window.setTimeout(drawNext, 0);
    }
  }

  function request(container) {
    withPlotly(
      function () {
        drawQueue.push(container);
        if (drawQueue.length === 1) {
          window.setTimeout(drawNext, 0);
        }
      },
      function (error) {
        fail(container, error);
      }
    );
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

  function start() {
    var containers = document.querySelectorAll("[data-app-chart]");
    if (!("IntersectionObserver" in window)) {
      for (var i = 0; i < containers.length; i++) {
        request(containers[i]);
      }
      return;
    }
    var observer = new window.IntersectionObserver(
      function (entries) {
        for (var j = 0; j < entries.length; j++) {
          if (entries[j].isIntersecting) {
            observer.unobserve(entries[j].target);
            request(entries[j].target);
          }
        }
      },
      // Within half a screen of view: drawn as the reader scrolls towards it, and not while
      // they read the first screen of a page whose charts are further down.
      { rootMargin: "50% 0px" }
    );
    for (var k = 0; k < containers.length; k++) {
      observer.observe(containers[k]);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
