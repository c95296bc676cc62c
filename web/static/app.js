/* vanthu: a little progressive enhancement. Every page works without it. */
(function () {
  "use strict";

  // Facets and the table of contents start folded on a phone so the content comes first.
  if (window.matchMedia && window.matchMedia("(max-width: 720px)").matches) {
    document.querySelectorAll(".facet-box, .toc details").forEach(function (d) { d.open = false; });
  }

  // A very long text is shown in pages (?phan=N): a link to a section (#muc-<offset>, as search
  // results give) that lies on another page opens that page.
  var paged = document.querySelector(".doc-text[data-cuts]");
  var target = /^#muc-(\d+)$/.exec(location.hash);
  if (paged && target && !document.getElementById(location.hash.slice(1))) {
    var cuts = paged.dataset.cuts.split(",").map(Number), pos = Number(target[1]), n = 1;
    while (n < cuts.length - 1 && cuts[n] <= pos) n++;
    if (String(n) !== (new URLSearchParams(location.search).get("phan") || "1")) {
      location.replace("?phan=" + n + location.hash);
    }
  }

  // Table of contents: mark the section being read — the last one whose top has reached the top
  // of the window (where a jump puts it, give or take a few pixels) — and, at once, a clicked one,
  // even when the page ends before that section can reach the top.
  var spy = [];
  document.querySelectorAll('.toc a[href^="#muc-"]').forEach(function (a) {
    var section = document.getElementById(a.getAttribute("href").slice(1));
    if (section) spy.push({ link: a, section: section });
  });
  if (spy.length) {
    var shown = null, pinned = -1, pinY = null, queued = false;
    var reached = function () {  // index of the last section whose top is at the reading line, or -1
      var line = (parseFloat(getComputedStyle(spy[0].section).scrollMarginTop) || 0) + 8;
      var lo = 0, hi = spy.length - 1, found = -1;
      while (lo <= hi) {
        var mid = (lo + hi) >> 1;
        if (spy[mid].section.getBoundingClientRect().top <= line) { found = mid; lo = mid + 1; } else { hi = mid - 1; }
      }
      return found;
    };
    var mark = function (i) {
      var link = i >= 0 ? spy[i].link : null;
      if (link === shown) return;
      if (shown) shown.removeAttribute("aria-current");
      shown = link;
      if (!link) return;
      link.setAttribute("aria-current", "location");
      var box = link.closest("details");  // keep the mark in view inside the scrolling contents box
      if (box && box.scrollHeight > box.clientHeight) {
        var lr = link.getBoundingClientRect(), br = box.getBoundingClientRect();
        if (lr.top < br.top || lr.bottom > br.bottom) box.scrollTop += lr.top - br.top - box.clientHeight / 3;
      }
    };
    var update = function () {
      var i = reached();
      if (pinned >= 0) {  // a clicked heading stays marked until the reader scrolls on
        if (pinned >= i && (pinY === null || Math.abs(window.scrollY - pinY) <= 2)) i = pinned; else pinned = -1;
      }
      mark(i);
    };
    var pin = function (hash) {
      for (var k = 0; k < spy.length; k++) {
        if ("#" + spy[k].section.id === hash) {
          pinned = k;
          pinY = null;
          mark(k);
          requestAnimationFrame(function () { pinY = window.scrollY; });  // where the jump landed
          return;
        }
      }
    };
    var later = function () {
      if (queued) return;
      queued = true;
      requestAnimationFrame(function () { queued = false; update(); });
    };
    spy.forEach(function (s) { s.link.addEventListener("click", function () { pin(s.link.getAttribute("href")); }); });
    window.addEventListener("hashchange", function () { pin(location.hash); later(); });
    window.addEventListener("scroll", later, { passive: true });
    window.addEventListener("resize", later);
    pin(location.hash);
    update();
  }

  // Linker: copy the linked HTML (rich text where the browser allows, else the source).
  var copy = document.getElementById("copy-html");
  if (copy) {
    copy.addEventListener("click", function () {
      var source = document.getElementById(copy.dataset.target);
      var status = document.getElementById("copy-status");
      var html = source.value;
      var done = function () { status.textContent = "Đã sao chép HTML có liên kết."; };
      var fallback = function () {
        var details = source.closest("details");
        if (details) details.open = true;
        source.focus();
        source.select();
        try {
          document.execCommand("copy") ? done() : (status.textContent = "Hãy nhấn Ctrl+C để sao chép.");
        } catch (e) {
          status.textContent = "Hãy nhấn Ctrl+C để sao chép.";
        }
      };
      if (navigator.clipboard && window.ClipboardItem && window.isSecureContext) {
        var item = new ClipboardItem({
          "text/html": new Blob([html], { type: "text/html" }),
          "text/plain": new Blob([html], { type: "text/plain" })
        });
        navigator.clipboard.write([item]).then(done, fallback);
      } else if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(html).then(done, fallback);
      } else {
        fallback();
      }
    });
  }

  // Upload: token kept in sessionStorage, progress from XMLHttpRequest, metadata to confirm.
  var form = document.getElementById("upload-form");
  if (form) {
    var token = document.getElementById("token");
    var fileInput = document.getElementById("upload-file");
    var button = document.getElementById("upload-button");
    var wrap = document.getElementById("progress-wrap");
    var bar = document.getElementById("upload-progress");
    var status = document.getElementById("upload-status");
    var errorBox = document.getElementById("upload-error");
    var result = document.getElementById("upload-result");
    var KEY = "vanthu.adminToken";
    try { token.value = sessionStorage.getItem(KEY) || ""; } catch (e) { /* storage off */ }

    // The API says it in Vietnamese, then again in English for logs and scripts: "Mã quản trị
    // không đúng. (Wrong admin token.)", "a.pdf: tệp bị hỏng … — the content is not a .pdf file …".
    // Show the Vietnamese only; a message with no such tail is shown whole.
    var vietnamese = /(?=[^\x00-\x7F])\p{L}/u;  // a letter outside ASCII
    var inVietnamese = function (message) {
      var text = String(message).trim();
      var paren = /^([\s\S]*\S)\s*\(([^()]*)\)$/.exec(text);
      if (paren && !vietnamese.test(paren[2]) && vietnamese.test(paren[1])) text = paren[1];
      var dash = text.lastIndexOf(" — ");
      if (dash > 0 && !vietnamese.test(text.slice(dash)) && vietnamese.test(text.slice(0, dash))) {
        text = text.slice(0, dash);
      }
      return text || String(message);
    };

    var showError = function (message, code) {
      errorBox.textContent = message;
      if (code) {  // for whoever is asked for help; small, under the message
        var small = document.createElement("small");
        small.className = "error-code";
        small.textContent = "Mã lỗi: " + code;
        errorBox.appendChild(small);
      }
      errorBox.hidden = false;
      wrap.hidden = true;  // a full red bar above an error reads as success
      bar.value = 0;
      bar.textContent = "0%";
      status.textContent = "";
      button.disabled = false;
    };

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      errorBox.hidden = true;
      result.hidden = true;
      var file = fileInput.files[0];
      if (!token.value.trim()) { showError("Hãy nhập mã quản trị."); token.focus(); return; }
      if (!file) { showError("Hãy chọn một tệp để tải lên."); fileInput.focus(); return; }
      var maxMb = parseFloat(form.dataset.maxMb || "0");
      if (maxMb && file.size > maxMb * 1048576) {
        showError("Tệp lớn hơn giới hạn " + maxMb + " MB."); return;
      }
      try { sessionStorage.setItem(KEY, token.value.trim()); } catch (e) { /* storage off */ }
      var data = new FormData();
      data.append("file", file, file.name);
      var xhr = new XMLHttpRequest();
      xhr.open("POST", "/api/documents");
      xhr.setRequestHeader("Authorization", "Bearer " + token.value.trim());
      xhr.responseType = "json";
      wrap.hidden = false;
      bar.value = 0;
      button.disabled = true;
      status.textContent = "Đang tải lên " + file.name + "…";
      xhr.upload.addEventListener("progress", function (e) {
        if (e.lengthComputable) {
          var pct = Math.round((e.loaded / e.total) * 100);
          bar.value = pct;
          bar.textContent = pct + "%";
          status.textContent = "Đã tải lên " + pct + "%";
        }
      });
      xhr.upload.addEventListener("load", function () {
        bar.value = 100;
        status.textContent = "Đã tải xong; đang trích xuất và lập chỉ mục…";
      });
      xhr.addEventListener("error", function () { showError("Mất kết nối tới máy chủ; hãy thử lại."); });
      xhr.addEventListener("load", function () {
        var body = xhr.response || {};
        if (xhr.status !== 200) {
          if (xhr.status === 401 || xhr.status === 403) {
            try { sessionStorage.removeItem(KEY); } catch (e) { /* storage off */ }
          }
          showError(body.detail ? inVietnamese(body.detail) : "Tải lên không thành công.", xhr.status);
          return;
        }
        button.disabled = false;
        // a file already archived is not added again: say so, and open the document that was there
        status.textContent = body.duplicate ? "Văn bản đã có trong kho." : "Đã thêm vào kho.";
        result.querySelectorAll("[data-field]").forEach(function (dd) {
          var name = dd.dataset.field;
          var value = body[name];
          if (name === "citations") value = body.citation_count;
          if (name === "date" && value) value = value.split("-").reverse().join("/");
          dd.textContent = value === null || value === undefined || value === "" ? "—" : String(value);
        });
        document.getElementById("upload-duplicate").hidden = !body.duplicate;
        var warnings = document.getElementById("upload-warnings");
        warnings.textContent = "";
        (body.warnings || []).forEach(function (w) {
          var li = document.createElement("li");
          li.textContent = "Lưu ý: " + w;
          warnings.appendChild(li);
        });
        var link = document.getElementById("upload-link");
        link.href = "/van-ban/" + encodeURIComponent(body.id);
        link.textContent = body.duplicate ? "Mở văn bản đã có" : "Mở văn bản vừa tải lên";
        result.hidden = false;
        result.focus();
      });
      xhr.send(data);
    });
  }
})();
