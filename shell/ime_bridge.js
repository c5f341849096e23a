// JS half of IME input for ImGui's text fields (web/platform/ime_web.cpp). A canvas receives no
// composition events, so while an ImGui field is active a transparent <textarea> sits at its caret
// with the focus: the OS input method composes there (its candidate window opens at the caret)
// and what it commits goes to C++ (wc_ime_commit -> ImGui's AddInputCharactersUTF8). Typed
// characters take the same path (GLFW's keypress is held back while the textarea has the focus),
// so dictation and emoji pickers work too; keys (Backspace, arrows, Enter, shortcuts) still reach
// GLFW, except while a composition is open: those belong to the input method.
mergeInto(LibraryManager.library, {
  wc_ime_install__deps: ['malloc', 'free'],
  wc_ime_install: function () {
    var ta = document.createElement('textarea');
    ta.id = 'wc-ime';
    ta.setAttribute('autocomplete', 'off');
    ta.setAttribute('autocapitalize', 'off');
    ta.setAttribute('spellcheck', 'false');
    ta.setAttribute('aria-label', 'text input');
    ta.style.cssText = 'position:fixed;left:0;top:0;width:2px;height:16px;margin:0;padding:0;' +
      'border:0;outline:none;resize:none;overflow:hidden;opacity:0;pointer-events:none;' +
      'background:transparent;color:transparent;caret-color:transparent';
    document.body.appendChild(ta);
    var composing = false;
    function commit(text) {
      if (!text) return;
      var len = lengthBytesUTF8(text) + 1;
      var ptr = _malloc(len);
      stringToUTF8(text, ptr, len);
      try { Module['_wc_ime_commit'](ptr); } finally { _free(ptr); }
    }
    ta.addEventListener('compositionstart', function () { composing = true; });
    ta.addEventListener('compositionend', function (e) {
      composing = false;
      commit(e.data);
      ta.value = '';
    });
    ta.addEventListener('input', function (e) {
      if (composing || e.isComposing) return;
      if (e.inputType === 'insertText') commit(e.data);  // pastes come from the paste bridge
      ta.value = '';
    });
    // Registered before glfwInit adds GLFW's listeners, so these run first.
    window.addEventListener('keydown', function (e) {
      if (document.activeElement === ta && (composing || e.isComposing || e.keyCode === 229)) {
        e.stopImmediatePropagation();
      }
    }, true);
    window.addEventListener('keypress', function (e) {
      if (document.activeElement === ta) e.stopImmediatePropagation();  // the text comes as 'input'
    }, true);
    Module['wcIme'] = ta;
  },

  // x, y: the caret's top-left in canvas pixels (device pixels); h: the line height.
  wc_ime_update: function (active, x, y, h) {
    var ta = Module['wcIme'];
    if (!ta) return;
    if (active) {
      var dpr = window.devicePixelRatio || 1;
      var rect = Module['canvas'].getBoundingClientRect();
      ta.style.left = (rect.left + x / dpr) + 'px';
      ta.style.top = (rect.top + y / dpr) + 'px';
      ta.style.height = ta.style.fontSize = Math.max(8, h / dpr) + 'px';
      if (document.activeElement !== ta) ta.focus({ preventScroll: true });
    } else if (document.activeElement === ta) {
      ta.blur();
    }
  },
});
