// Lease calculator on the listing page: re-price every matching lessor's quote on change.
// No build step; the server renders the default quotes, this only refreshes them.
(function () {
  "use strict";
  var panel = document.getElementById("lease-calculator");
  if (!panel) { return; }
  var form = panel.querySelector(".lease-form");
  var list = panel.querySelector(".lease-quotes");
  var status = panel.querySelector(".lease-status");
  var labels = JSON.parse(document.getElementById("lease-labels").textContent);
  var timer = null;
  var sequence = 0;

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    (children || []).forEach(function (child) {
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  function cny(value) {
    var number = Number(value);
    return "¥" + number.toLocaleString("zh-CN", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  }

  function percent(value, places) {
    return (Number(value) * 100).toFixed(places === undefined ? 2 : places) + "%";
  }

  function row(label, value) {
    return el("tr", {}, [el("th", {}, [label]), el("td", {}, [value])]);
  }

  function scheduleTable(schedule) {
    var head = el("tr", {}, [labels.period, labels.rent, labels.principal_part, labels.interest, labels.balance]
      .map(function (text) { return el("th", {}, [text]); }));
    var body = el("tbody", {}, schedule.map(function (line) {
      return el("tr", {}, [String(line.period), line.rent, line.principal, line.interest, line.balance]
        .map(function (text) { return el("td", {}, [text]); }));
    }));
    var table = el("table", { "class": "lease-schedule" }, [el("thead", {}, [head]), body]);
    return el("div", { "class": "lease-schedule-wrap" }, [table]);
  }

  function applyLink(item) {
    var base = panel.dataset.apply;
    if (!base) { return null; }
    var terms = item.terms;
    var query = new URLSearchParams({
      product: item.product.id, down_payment: terms.down_payment, term_months: terms.term_months,
      method: terms.method, timing: terms.timing, lease_type: terms.lease_type
    });
    return el("p", {}, [el("a", { "class": "button", href: base + "?" + query.toString() }, [labels.apply])]);
  }

  function card(item) {
    var children = [el("h3", {}, [item.product.lessor + " · " + item.product.name])];
    var quote = item.quote;
    if (quote) {
      var terms = item.terms;
      var payments = quote.payments;
      var first = payments[0], last = payments[payments.length - 1];
      children.push(
        el("p", { "class": "lease-apr" }, [el("span", { "class": "lease-apr-label" }, [labels.apr]), " ",
          el("strong", {}, [percent(quote.apr)])]),
        el("p", { "class": "lease-ear" }, [labels.ear + " ", el("strong", {}, [percent(quote.ear)])]),
        el("p", { "class": "lease-rent" }, terms.method === "annuity"
          ? [labels.monthly + " ", el("strong", {}, [cny(first)])]
          : [labels.first_last + " ", el("strong", {}, [cny(first) + " / " + cny(last)])]),
        el("p", { "class": "muted lease-nominal" }, [labels.nominal + " " + percent(quote.nominal_rate)])
      );
      var rows = [
        row(labels.down_payment, cny(terms.down_payment)),
        row(labels.principal, cny(quote.principal)),
        row(labels.term, terms.term_months + " " + labels.months),
        row(labels.deposit, cny(terms.deposit)),
        row(labels.fee, cny(terms.fee)),
        row(labels.buyout, cny(terms.buyout_price))
      ];
      if (Number(terms.balloon) > 0) { rows.push(row(labels.balloon, cny(terms.balloon))); }
      rows.push(
        row(labels.total_payments, cny(quote.total_payments)),
        row(labels.total_cost, cny(quote.total_cost))
      );
      children.push(el("table", { "class": "lease-terms" }, rows));
      var vatText = (labels.vat_types[terms.lease_type] || labels.vat_types.direct)
        .replace("%(rate)s", percent(quote.vat_rate, 0));
      children.push(el("p", { "class": "lease-vat" }, [
        el("span", { "class": "lease-vat-label" }, [vatText]), labels.colon || "：", el("strong", {}, [cny(quote.vat)]), " ",
        el("span", { "class": "muted" }, [quote.vat_deductible ? labels.vat_deductible : labels.vat_not_deductible])
      ]));
    } else {
      children.push(el("p", { "class": "lease-note" }, [labels.error]));
      Object.keys(item.errors || {}).forEach(function (key) {
        item.errors[key].forEach(function (message) { children.push(el("p", { "class": "muted" }, [message])); });
      });
    }
    item.notes.forEach(function (note) { children.push(el("p", { "class": "lease-note" }, [note])); });
    if (quote) {
      children.push(el("details", {}, [el("summary", {}, [labels.schedule]), scheduleTable(quote.schedule)]));
      var link = applyLink(item);
      if (link) { children.push(link); }
    }
    return el("article", { "class": "lease-quote", "data-product": String(item.product.id) }, children);
  }

  function render(data) {
    list.textContent = "";
    if (!data.quotes.length) {
      list.appendChild(el("p", { "class": "muted" }, [labels.none]));
      return;
    }
    data.quotes.forEach(function (item) { list.appendChild(card(item)); });
  }

  function refresh() {
    var params = new URLSearchParams(new FormData(form));
    var mine = ++sequence;
    status.textContent = labels.loading;
    fetch(panel.dataset.api + "?" + params.toString(), { headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.json().then(function (body) { return { ok: response.ok, body: body }; });
      })
      .then(function (result) {
        if (mine !== sequence) { return; }
        if (!result.ok) {
          var fields = (result.body.error && result.body.error.fields) || {};
          var messages = Object.keys(fields).map(function (key) { return fields[key].join(" "); });
          status.textContent = labels.failed + " " + messages.join(" ");
          return;
        }
        status.textContent = "";
        render(result.body);
      })
      .catch(function () { if (mine === sequence) { status.textContent = labels.failed; } });
  }

  form.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(refresh, 300);
  });
  // The template's onsubmit attribute does not run under the Content-Security-Policy.
  form.addEventListener("submit", function (event) { event.preventDefault(); refresh(); });
}());
