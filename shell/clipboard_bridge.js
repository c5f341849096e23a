// JS half of the paste bridge (web/platform/paste_web.cpp, web/paste_input.hpp). Browsers hand
// clipboard text only to a 'paste' event, and Emscripten's GLFW has no clipboard, so: a 'paste'
// listener forwards the text to C++ (with whether the keydown just before was Ctrl+V or
// Shift+Insert, which ImGui pastes itself on the next frame), and ImGui's copies are written to
// navigator.clipboard. Pastes into real DOM fields (an embedding page's inputs) are left alone.
mergeInto(LibraryManager.library, {
  wc_clipboard_listen__deps: ['malloc', 'free'],
  wc_clipboard_listen: function () {
    var lastKey = { shortcut: false, time: 0 };
    window.addEventListener('keydown', function (e) {
      var isV = e.code === 'KeyV' || e.key === 'v' || e.key === 'V';
      lastKey.shortcut = (isV && e.ctrlKey && !e.shiftKey && !e.altKey && !e.metaKey) ||
                         (e.key === 'Insert' && e.shiftKey && !e.ctrlKey && !e.altKey && !e.metaKey);
      lastKey.time = performance.now();
    }, true);
    window.addEventListener('paste', function (e) {
      var t = e.target;
      var domField = t && t.id !== 'wc-ime' &&  // the IME bridge's textarea stands for ImGui's field
        (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.isContentEditable);
      if (domField) return;
      var text = (e.clipboardData && e.clipboardData.getData('text/plain')) || '';
      var shortcut = lastKey.shortcut && performance.now() - lastKey.time < 1000;
      lastKey.shortcut = false;
      e.preventDefault();
      var len = lengthBytesUTF8(text) + 1;
      var ptr = _malloc(len);
      stringToUTF8(text, ptr, len);
      try { Module['_wc_on_paste'](ptr, shortcut ? 1 : 0); } finally { _free(ptr); }
    });
  },

  wc_clipboard_write_text: function (ptr) {
    var s = UTF8ToString(ptr);
    window.wirecheckLastCopy = s;  // lets tests read what was copied without clipboard rights
    function fallback() {
      var ta = document.createElement('textarea');
      ta.value = s;
      ta.style.position = 'fixed';
      ta.style.opacity = '0';
      document.body.appendChild(ta);
      ta.select();
      try { document.execCommand('copy'); } catch (e) {}
      document.body.removeChild(ta);
    }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(s).catch(fallback);
    } else {
      fallback();
    }
  },
});
