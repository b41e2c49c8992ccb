/* The door's camera: read a QR code and send it through the check-in form.
   The browser's own BarcodeDetector where it exists, else jsQR (vendored
   from npm into static/vendor/). Without a camera the form works as it is. */
(function () {
  "use strict";
  var section = document.querySelector("[data-camera]");
  var form = document.getElementById("door-form");
  if (!section || !form || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
    return;
  }
  var input = form.querySelector("input[name=code]");
  var video = section.querySelector("[data-camera-video]");
  var start = section.querySelector("[data-camera-start]");
  var stop = section.querySelector("[data-camera-stop]");
  var status = section.querySelector("[data-camera-status]");
  var canvas = document.createElement("canvas");
  var context = canvas.getContext("2d", { willReadFrequently: true });
  var stream = null;
  var detector = null;
  var CODE = /^[A-HJKMNP-Z2-9]{4}-?[A-HJKMNP-Z2-9]{4}$/;

  if ("BarcodeDetector" in window) {
    try {
      detector = new window.BarcodeDetector({ formats: ["qr_code"] });
    } catch (error) {
      detector = null;
    }
  }
  section.hidden = false;

  function found(text) {
    text = (text || "").trim().toUpperCase();
    if (!CODE.test(text)) {
      return false;
    }
    input.value = text;
    halt();
    form.submit();
    return true;
  }

  function readFrame() {
    if (!video.videoWidth) {
      return Promise.resolve(false);
    }
    if (detector) {
      return detector.detect(video).then(function (codes) {
        return codes.some(function (code) { return found(code.rawValue); });
      });
    }
    canvas.width = video.videoWidth;
    canvas.height = video.videoHeight;
    context.drawImage(video, 0, 0, canvas.width, canvas.height);
    var image = context.getImageData(0, 0, canvas.width, canvas.height);
    var code = window.jsQR ? window.jsQR(image.data, image.width, image.height) : null;
    return Promise.resolve(Boolean(code && found(code.data)));
  }

  function loop() {
    if (!stream) {
      return;
    }
    readFrame().then(function (done) {
      if (!done) {
        window.setTimeout(loop, 150);
      }
    }, function () {
      window.setTimeout(loop, 300);
    });
  }

  function halt() {
    if (stream) {
      stream.getTracks().forEach(function (track) { track.stop(); });
    }
    stream = null;
    video.hidden = true;
    stop.hidden = true;
    start.hidden = false;
  }

  start.addEventListener("click", function () {
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false })
      .then(function (media) {
        stream = media;
        video.srcObject = media;
        video.hidden = false;
        start.hidden = true;
        stop.hidden = false;
        status.textContent = status.dataset.textLooking;
        return video.play();
      })
      .then(loop)
      .catch(function () {
        halt();
        status.textContent = status.dataset.textDenied;
        input.focus();
      });
  });
  stop.addEventListener("click", function () {
    halt();
    status.textContent = "";
    input.focus();
  });
}());
