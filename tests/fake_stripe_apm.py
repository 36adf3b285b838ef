"""A small Stripe-compatible HTTP server for the wallet payment methods localstripe lacks.

localstripe (the Stripe test server in CI) supports card payment methods only. This server
answers the documented PaymentIntent shapes for ``alipay`` and ``wechat_pay`` so the real
Stripe client, pointed at it by ``STRIPE_API_BASE``, can be tested end to end:

* ``POST /v1/payment_intents`` (form-encoded, as stripe-python sends it) with
  ``payment_method_types[0]=alipay|wechat_pay``, ``payment_method_data[type]`` and
  ``confirm=true`` answers ``status: requires_action`` with ``next_action`` of type
  ``alipay_handle_redirect`` (``alipay_handle_redirect.url``, ``return_url``) or
  ``wechat_pay_display_qr_code`` (``data``, ``image_data_url`` a PNG data URI,
  ``image_url_png``, ``image_url_svg``, ``hosted_instructions_url``). Alipay without a
  ``return_url``, WeChat Pay without ``payment_method_options[wechat_pay][client]``, a card
  or a missing key are refused with Stripe's error body. The ``Idempotency-Key`` header
  returns the intent first created with it.
* ``GET /v1/payment_intents/<id>`` retrieves it.
* ``GET /alipay/authorize/<id>`` stands for the payer approving on Alipay's page: the intent
  succeeds and the browser is sent to the ``return_url`` with ``payment_intent``,
  ``payment_intent_client_secret`` and ``redirect_status`` as Stripe does.
* ``POST /_test/reset`` (test control) forgets every intent and idempotency key, so each
  test starts clean while database ids repeat.
* ``POST /_test/payment_intents/<id>/succeed`` (test control, not a Stripe route) makes the
  intent succeed (a WeChat scan) and returns the unsigned ``payment_intent.succeeded``
  event; the test signs it as Stripe does and delivers it to the project's webhook.

Run: ``python tests/fake_stripe_apm.py PORT`` (binds 127.0.0.1 only).
"""

import base64
import io
import json
import re
import secrets
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlencode, urlparse

WALLETS = {"alipay", "wechat_pay"}
INTENTS: dict[str, dict] = {}
IDEMPOTENT: dict[str, tuple[str, dict]] = {}  # key -> (intent id, the request's params)


def _nested(form: list[tuple[str, str]]) -> dict:
    """Stripe's form encoding (``a[b][0]=x``) back into dicts; list indexes become keys."""
    result: dict = {}
    for key, value in form:
        parts = re.findall(r"[^\[\]]+", key)
        node = result
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = value
    return result


def _qr_png_data_uri(text: str) -> str:
    try:
        import qrcode
    except ImportError:  # a 1×1 PNG keeps the shape when qrcode is absent
        png = base64.b64decode(
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
        )
        return "data:image/png;base64," + base64.b64encode(png).decode()
    buffer = io.BytesIO()
    qrcode.make(text, box_size=4, border=2).save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def _error(message: str, param: str = "", status: int = 400) -> tuple[int, dict]:
    return status, {"error": {"type": "invalid_request_error", "message": message, "param": param}}


class Handler(BaseHTTPRequestHandler):
    server_version = "fake-stripe-apm/1"

    def log_message(self, *args) -> None:  # quiet
        return

    def _send(self, status: int, body: dict) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Request-Id", "req_" + secrets.token_hex(6))
        self.end_headers()
        self.wfile.write(data)

    def _authorised(self) -> bool:
        header = self.headers.get("Authorization", "")
        if header.startswith("Bearer sk_"):
            return True
        if header.startswith("Basic "):
            return base64.b64decode(header[6:]).decode(errors="replace").startswith("sk_")
        return False

    def _form(self) -> dict:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length).decode() if length else ""
        return _nested(parse_qsl(raw, keep_blank_values=True))

    def do_GET(self) -> None:
        path = urlparse(self.path).path
        match = re.fullmatch(r"/v1/payment_intents/(pi_\w+)", path)
        if match:
            if not self._authorised():
                self._send(*_error("No API key provided.", status=401))
            elif match.group(1) not in INTENTS:
                self._send(*_error("No such payment_intent", "intent", 404))
            else:
                self._send(200, INTENTS[match.group(1)])
            return
        match = re.fullmatch(r"/alipay/authorize/(pi_\w+)", path)
        if match and match.group(1) in INTENTS:
            intent = _succeed(match.group(1))
            back = intent["_return_url"]
            query = urlencode(
                {
                    "payment_intent": intent["id"],
                    "payment_intent_client_secret": intent["client_secret"],
                    "redirect_status": "succeeded",
                }
            )
            self.send_response(302)
            self.send_header("Location", back + ("&" if "?" in back else "?") + query)
            self.end_headers()
            return
        self._send(*_error("Unrecognized request URL", status=404))

    def do_POST(self) -> None:
        path = urlparse(self.path).path
        if path == "/_test/reset":
            INTENTS.clear()
            IDEMPOTENT.clear()
            self._send(200, {"reset": True})
            return
        match = re.fullmatch(r"/_test/payment_intents/(pi_\w+)/succeed", path)
        if match:
            if match.group(1) not in INTENTS:
                self._send(*_error("No such payment_intent", "intent", 404))
                return
            intent = _succeed(match.group(1))
            self._send(200, _event("payment_intent.succeeded", intent))
            return
        if path != "/v1/payment_intents":
            self._send(*_error("Unrecognized request URL", status=404))
            return
        if not self._authorised():
            self._send(*_error("No API key provided.", status=401))
            return
        key = self.headers.get("Idempotency-Key", "")
        form = self._form()
        if key and key in IDEMPOTENT:
            intent_id, params = IDEMPOTENT[key]
            if params != form:  # as Stripe: a key is bound to the parameters first sent
                self._send(
                    400,
                    {
                        "error": {
                            "type": "idempotency_error",
                            "message": "Keys for idempotent requests can only be used with "
                            "the same parameters they were first used with.",
                        }
                    },
                )
            else:
                self._send(200, _public(INTENTS[intent_id]))
            return
        status, body = _create(form, base=f"http://{self.headers.get('Host')}")
        if status == 200 and key:
            IDEMPOTENT[key] = (body["id"], form)
        self._send(status, _public(body) if status == 200 else body)


def _public(intent: dict) -> dict:
    return {key: value for key, value in intent.items() if not key.startswith("_")}


def _create(form: dict, *, base: str) -> tuple[int, dict]:
    types = list((form.get("payment_method_types") or {}).values())
    if len(types) != 1 or types[0] not in WALLETS:
        return _error(
            "This test server supports payment_method_types alipay or wechat_pay only.",
            "payment_method_types",
        )
    method = types[0]
    try:
        amount = int(form.get("amount", ""))
    except ValueError:
        return _error("Invalid integer: amount", "amount")
    if amount <= 0:
        return _error("Amount must be at least 1", "amount")
    currency = form.get("currency", "")
    if not currency:
        return _error("Missing required param: currency.", "currency")
    confirm = form.get("confirm") == "true"
    if confirm and (form.get("payment_method_data") or {}).get("type") != method:
        return _error("payment_method_data[type] must match", "payment_method_data[type]")
    if confirm and method == "alipay" and not form.get("return_url"):
        return _error("A return_url is required to confirm an alipay PaymentIntent.", "return_url")
    client = ((form.get("payment_method_options") or {}).get("wechat_pay") or {}).get("client")
    if confirm and method == "wechat_pay" and client not in {"web", "ios", "android"}:
        return _error(
            "payment_method_options[wechat_pay][client] is required.",
            "payment_method_options[wechat_pay][client]",
        )
    intent_id = "pi_" + secrets.token_hex(12)
    intent = {
        "id": intent_id,
        "object": "payment_intent",
        "amount": amount,
        "amount_received": 0,
        "amount_capturable": 0,
        "capture_method": form.get("capture_method", "automatic"),
        "client_secret": f"{intent_id}_secret_{secrets.token_hex(8)}",
        "confirmation_method": "automatic",
        "created": int(time.time()),
        "currency": currency,
        "livemode": False,
        "metadata": form.get("metadata") or {},
        "next_action": None,
        "payment_method": None,
        "payment_method_types": [method],
        "status": "requires_payment_method",
        "_return_url": form.get("return_url", ""),
    }
    if confirm:
        intent["payment_method"] = "pm_" + secrets.token_hex(12)
        intent["status"] = "requires_action"
        if method == "alipay":
            intent["next_action"] = {
                "type": "alipay_handle_redirect",
                "alipay_handle_redirect": {
                    "native_data": None,
                    "native_url": None,
                    "return_url": form["return_url"],
                    "url": f"{base}/alipay/authorize/{intent_id}",
                },
            }
        else:
            data = f"weixin://wxpay/bizpayurl?pr={secrets.token_hex(6)}"
            intent["next_action"] = {
                "type": "wechat_pay_display_qr_code",
                "wechat_pay_display_qr_code": {
                    "data": data,
                    "hosted_instructions_url": f"{base}/wechat/instructions/{intent_id}",
                    "image_data_url": _qr_png_data_uri(data),
                    "image_url_png": f"{base}/wechat/qr/{intent_id}.png",
                    "image_url_svg": f"{base}/wechat/qr/{intent_id}.svg",
                },
            }
    INTENTS[intent_id] = intent
    return 200, intent


def _succeed(intent_id: str) -> dict:
    intent = INTENTS[intent_id]
    intent.update(status="succeeded", amount_received=intent["amount"], next_action=None)
    return intent


def _event(event_type: str, intent: dict) -> dict:
    return {
        "id": "evt_" + secrets.token_hex(12),
        "object": "event",
        "api_version": "2024-06-20",
        "created": int(time.time()),
        "livemode": False,
        "type": event_type,
        "data": {"object": _public(intent)},
    }


def main() -> None:
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 12111
    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    print(f"fake-stripe-apm listening on 127.0.0.1:{port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
