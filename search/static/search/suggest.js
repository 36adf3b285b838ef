/* Suggestions for a search box: every input with data-suggest-url asks that endpoint (JSON:
   brands, models, categories, cities) as the visitor types and lists the answers in the
   element named by data-suggest-list. Choosing one puts its text in the box and searches.
   A static file: the Content-Security-Policy allows no inline script. */
(function () {
  "use strict";
  var KINDS = ["brands", "models", "categories", "cities"];

  function attach(input) {
    var list = document.getElementById(input.dataset.suggestList);
    if (!list) { return; }
    var timer = null, active = -1, asked = 0;

    function close() { list.hidden = true; list.textContent = ""; active = -1; }
    function choose(text) { input.value = text; close(); input.form.submit(); }
    function render(data) {
      list.textContent = "";
      KINDS.forEach(function (kind) {
        (data[kind] || []).forEach(function (item) {
          var li = document.createElement("li");
          li.setAttribute("role", "option");
          li.dataset.text = item.text;
          li.textContent = item.label;
          var tag = document.createElement("span");
          tag.className = "kind";
          tag.textContent = input.dataset["kind" + kind.charAt(0).toUpperCase() + kind.slice(1)] || "";
          li.appendChild(tag);
          li.addEventListener("mousedown", function (event) { event.preventDefault(); choose(item.text); });
          list.appendChild(li);
        });
      });
      list.hidden = list.children.length === 0;
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      var text = input.value.trim();
      if (!text) { close(); return; }
      timer = setTimeout(function () {
        var ticket = ++asked;
        fetch(input.dataset.suggestUrl + "?q=" + encodeURIComponent(text), {headers: {"Accept": "application/json"}})
          .then(function (response) { return response.ok ? response.json() : {}; })
          .then(function (data) { if (ticket === asked) { render(data); } })
          .catch(close);
      }, 150);
    });
    input.addEventListener("keydown", function (event) {
      var items = list.querySelectorAll("li");
      if (list.hidden || !items.length) { return; }
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        active = (active + (event.key === "ArrowDown" ? 1 : items.length - 1)) % items.length;
        items.forEach(function (li, index) { li.setAttribute("aria-selected", index === active ? "true" : "false"); });
      } else if (event.key === "Enter" && active >= 0) {
        event.preventDefault();
        choose(items[active].dataset.text);
      } else if (event.key === "Escape") { close(); }
    });
    input.addEventListener("blur", function () { setTimeout(close, 100); });
  }

  document.querySelectorAll("input[data-suggest-url]").forEach(attach);
})();
