// Custom Plotly.js bundle for the council portal: only the trace types the dashboards draw.
var Plotly = require('plotly.js/lib/core');   // core already holds scatter
Plotly.register([require('plotly.js/lib/bar'), require('plotly.js/lib/box'),
                 require('plotly.js/lib/heatmap'), require('plotly.js/lib/scatterpolar')]);
window.Plotly = Plotly;
