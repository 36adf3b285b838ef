/* Listing photo gallery (marketplace/includes/gallery.html).
 *
 * Without this script every thumbnail and the large photo are plain links to the full-size
 * files. With it: a thumbnail shows its photo in the large frame; the large photo opens a
 * lightbox (a modal <dialog>) with previous / next, arrow keys, Escape, and a click on the
 * photo toggling between "fit the screen" and full size (scrollable). No inline handlers:
 * the site's Content-Security-Policy allows scripts from 'self' only.
 */
(function () {
  "use strict";

  function format(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_match, name) {
      return String(values[name]);
    });
  }

  function setSize(img, width, height) {
    if (width && height) {
      img.setAttribute("width", width);
      img.setAttribute("height", height);
    } else {
      img.removeAttribute("width");
      img.removeAttribute("height");
    }
  }

  function button(className, label, text) {
    var element = document.createElement("button");
    element.type = "button";
    element.className = className;
    element.setAttribute("aria-label", label);
    element.title = label;
    element.textContent = text;
    return element;
  }

  function Gallery(root) {
    this.root = root;
    this.thumbs = Array.prototype.slice.call(root.querySelectorAll("[data-gallery-thumb]"));
    this.image = root.querySelector("[data-gallery-image]");
    this.stage = root.querySelector("[data-gallery-open]");
    this.caption = root.querySelector("[data-gallery-caption]");
    this.position = root.querySelector("[data-gallery-position]");
    this.index = 0;
    this.dialog = null;
    if (!this.image || !this.stage) { return; }
    if (!this.thumbs.length) {
      // One photo: the lightbox still shows it; describe it from the large frame.
      this.thumbs = [this.stage];
      this.stage.dataset.label = this.caption ? this.caption.textContent : this.image.alt;
    }
    this.bind();
  }

  Gallery.prototype.photo = function (index) {
    var link = this.thumbs[index];
    return {
      url: link.getAttribute("href"),
      label: link.dataset.label || "",
      width: link.dataset.width || this.image.getAttribute("width"),
      height: link.dataset.height || this.image.getAttribute("height"),
    };
  };

  Gallery.prototype.positionText = function (index) {
    var template = this.root.dataset.labelOf || "%(n)s / %(total)s";
    return format(template, { n: index + 1, total: this.thumbs.length });
  };

  Gallery.prototype.show = function (index) {
    var count = this.thumbs.length;
    this.index = (index + count) % count;
    var photo = this.photo(this.index);
    setSize(this.image, photo.width, photo.height);
    this.image.src = photo.url;
    this.image.alt = photo.label;
    this.stage.setAttribute("href", photo.url);
    if (this.caption) { this.caption.textContent = photo.label; }
    if (this.position) { this.position.textContent = (this.index + 1) + " / " + count; }
    this.thumbs.forEach(function (thumb, i) {
      if (thumb === this.stage) { return; }
      if (i === this.index) { thumb.setAttribute("aria-current", "true"); }
      else { thumb.removeAttribute("aria-current"); }
    }, this);
    if (this.dialog && this.dialog.open) { this.fillLightbox(); }
  };

  Gallery.prototype.bind = function () {
    var self = this;
    this.thumbs.forEach(function (thumb, index) {
      if (thumb === self.stage) { return; }
      thumb.addEventListener("click", function (event) {
        if (event.ctrlKey || event.metaKey || event.shiftKey) { return; }  // new tab still works
        event.preventDefault();
        self.show(index);
      });
    });
    this.stage.addEventListener("click", function (event) {
      if (event.ctrlKey || event.metaKey || event.shiftKey) { return; }
      if (typeof HTMLDialogElement !== "function") { return; }  // old browser: follow the link
      event.preventDefault();
      self.openLightbox();
    });
  };

  Gallery.prototype.buildLightbox = function () {
    var data = this.root.dataset;
    var dialog = document.createElement("dialog");
    dialog.className = "lightbox";
    dialog.setAttribute("aria-label", this.root.getAttribute("aria-label") || "");
    var frame = document.createElement("div");
    frame.className = "lightbox-frame";
    var img = document.createElement("img");
    img.className = "lightbox-image";
    img.title = data.labelZoom || "";
    frame.appendChild(img);
    var bar = document.createElement("div");
    bar.className = "lightbox-bar";
    var caption = document.createElement("p");
    caption.className = "lightbox-caption";
    caption.setAttribute("aria-live", "polite");
    var previous = button("lightbox-previous secondary", data.labelPrevious || "‹", "‹");
    var next = button("lightbox-next secondary", data.labelNext || "›", "›");
    var close = button("lightbox-close", data.labelClose || "×", "×");
    if (this.thumbs.length < 2) { previous.hidden = true; next.hidden = true; }
    bar.appendChild(previous);
    bar.appendChild(caption);
    bar.appendChild(next);
    bar.appendChild(close);
    dialog.appendChild(bar);
    dialog.appendChild(frame);
    document.body.appendChild(dialog);

    var self = this;
    previous.addEventListener("click", function () { self.show(self.index - 1); });
    next.addEventListener("click", function () { self.show(self.index + 1); });
    close.addEventListener("click", function () { dialog.close(); });
    img.addEventListener("click", function () { dialog.classList.toggle("zoomed"); });
    dialog.addEventListener("click", function (event) {
      if (event.target === dialog) { dialog.close(); }  // the backdrop
    });
    dialog.addEventListener("keydown", function (event) {
      if (event.key === "ArrowLeft") { event.preventDefault(); self.show(self.index - 1); }
      else if (event.key === "ArrowRight") { event.preventDefault(); self.show(self.index + 1); }
    });
    dialog.addEventListener("close", function () {
      dialog.classList.remove("zoomed");
      self.stage.focus();
    });
    this.dialog = dialog;
    this.lightboxImage = img;
    this.lightboxCaption = caption;
  };

  Gallery.prototype.fillLightbox = function () {
    var photo = this.photo(this.index);
    this.dialog.classList.remove("zoomed");
    setSize(this.lightboxImage, photo.width, photo.height);
    this.lightboxImage.src = photo.url;
    this.lightboxImage.alt = photo.label;
    this.lightboxCaption.textContent = photo.label + " · " + this.positionText(this.index);
  };

  Gallery.prototype.openLightbox = function () {
    if (!this.dialog) { this.buildLightbox(); }
    this.fillLightbox();
    this.dialog.showModal();
  };

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-gallery]"), function (root) {
      root.gallery = new Gallery(root);
    });
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); }
  else { start(); }
})();
