// Remembers the reader's choice of wording (patient or clinician) across pages.
// Everything works without this script: the choice is made with CSS radio buttons.
(function () {
  var key = "evident-audience";
  var radios = document.querySelectorAll('input[name="audience"]');
  var saved = null;
  try { saved = localStorage.getItem(key); } catch (e) {}
  radios.forEach(function (radio) {
    if (saved && radio.value === saved) { radio.checked = true; }
    radio.addEventListener("change", function () {
      try { localStorage.setItem(key, radio.value); } catch (e) {}
    });
  });
})();
