// An enrolled desk's "Tìm theo tên": searches the delegate list kept on this machine (accents ignored, đ as d),
// so that it works offline too; "Check-in" records the delegate as a scan of their pass.
(function () {
  "use strict";

  var box = document.getElementById("search-q");
  var results = document.getElementById("search-results");
  var searchForm = document.getElementById("local-search");
  if (!box || !results || !searchForm) { return; }

  var LIMIT = 20;

  function fold(text) {
    return String(text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase();
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text) { node.textContent = text; }
    return node;
  }

  function search() {
    results.textContent = "";
    var terms = fold(box.value).split(/\s+/).filter(Boolean);
    if (!terms.length || !window.eventappDesk) { return; }
    var found = window.eventappDesk.delegates().filter(function (d) {
      var haystack = fold([d.name, d.position, d.agency].join(" "));
      return terms.every(function (term) { return haystack.indexOf(term) !== -1; });
    }).slice(0, LIMIT);
    if (!found.length) {
      results.appendChild(el("p", "muted", "Không tìm thấy «" + box.value + "» trong danh sách trên máy."));
      return;
    }
    var list = el("ul", "found");
    found.forEach(function (d) {
      var item = el("li", "found-item");
      var who = el("div");
      who.appendChild(el("strong", "", d.name));
      who.appendChild(el("span", "muted", " " + [d.position, d.agency].filter(Boolean).join(" · ")));
      item.appendChild(who);
      if (d.checked_in_at) {
        item.appendChild(el("span", "badge badge-warning", "Đã đến"));
      } else {
        var button = el("button", "btn btn-primary btn-sm", "Check-in");
        button.type = "button";
        button.setAttribute("data-code", d.code);
        item.appendChild(button);
      }
      list.appendChild(item);
    });
    results.appendChild(list);
  }

  box.addEventListener("input", search);
  searchForm.addEventListener("submit", function (event) { event.preventDefault(); search(); });
  results.addEventListener("click", function (event) {
    var button = event.target.closest("[data-code]");
    if (!button) { return; }
    window.eventappDesk.scan(button.getAttribute("data-code"));
    search();
  });
})();
