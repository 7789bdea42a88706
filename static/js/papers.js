// The speaker's file picker: shows the chosen file's name in Vietnamese next to a "Chọn tệp" button.
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches("input[type=file][data-file-name]")) {
      return;
    }
    var target = document.querySelector(input.getAttribute("data-file-name"));
    if (!target) {
      return;
    }
    var file = input.files && input.files[0];
    if (!file) {
      target.textContent = "Chưa chọn tệp nào";
      return;
    }
    var size = file.size / (1024 * 1024);
    target.textContent = file.name + " (" + (size < 1 ? Math.max(1, Math.round(file.size / 1024)) + " KB" : size.toFixed(1).replace(".", ",") + " MB") + ")";
    target.classList.toggle("file-too-big", file.size > 20 * 1024 * 1024);
    if (file.size > 20 * 1024 * 1024) {
      target.textContent += " — lớn hơn 20 MB, sẽ không được nhận";
    }
  });
})();
