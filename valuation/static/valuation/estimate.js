// Pricing guidance on the dealer's listing form: asks /api/valuation/estimate/ whenever the
// machine fields change and shows the estimated market value with its 80% range.
(function () {
  "use strict";
  var box = document.getElementById("valuation-estimate");
  if (!box) return;
  var form = box.closest("form");  // include the snippet inside the listing form
  if (!form) return;
  var fields = {
    equipment_model: "equipment_model",
    year: "year_of_manufacture",
    hours: "hours",
    city: "city",
    emission_stage: "emission_stage",
    sale_format: "sale_format",
  };
  var timer = null;
  var chinese = (document.documentElement.lang || "zh").toLowerCase().indexOf("zh") === 0;
  var grouped = new Intl.NumberFormat("en-US", { maximumFractionDigits: 1 });

  // The same rounding as core/estimates.py: ¥517 万 (Chinese), ¥5,168,000 (English).
  function estimate(value) {
    var amount = Math.abs(Number(value));
    var hundreds = Math.round(amount / 100) * 100;
    if (hundreds < 10000) return "¥" + grouped.format(hundreds);
    if (!chinese) return "¥" + grouped.format(Math.round(amount / 1000) * 1000);
    var wan = Math.round(amount / 1000) / 10;
    return "¥" + grouped.format(wan < 100 ? wan : Math.round(amount / 10000)) + " 万";
  }

  function query() {
    var params = new URLSearchParams();
    Object.keys(fields).forEach(function (key) {
      var input = form.elements[fields[key]];
      if (input && input.value) params.set(key, input.value);
    });
    return params.has("equipment_model") ? params : null;
  }

  function text(tag, content, className) {
    var node = document.createElement(tag);
    node.textContent = content;
    if (className) node.className = className;
    return node;
  }

  function show(data) {
    box.replaceChildren(
      text("strong", box.dataset.labelTitle),
      text("p", box.dataset.labelValue + "：" + estimate(data.p50), "price"),
      text("p", box.dataset.labelRange + "：" + estimate(data.p10) + " – " + estimate(data.p90))
    );
    if (data.unusual) box.appendChild(text("p", box.dataset.labelUnusual + "：" + data.reasons.join("；"), "muted"));
    box.appendChild(text("p", box.dataset.labelVersion + " " + data.model_version, "muted"));
    box.hidden = false;
  }

  function refresh() {
    var params = query();
    if (!params) { box.hidden = true; return; }
    fetch(box.dataset.api + "?" + params.toString(), { headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) { if (data) show(data); else box.hidden = true; })
      .catch(function () { box.hidden = true; });
  }

  form.addEventListener("change", function () {
    clearTimeout(timer);
    timer = setTimeout(refresh, 250);
  });
  refresh();
})();
