#!/usr/bin/python3
"""A second, independent SP for the end-to-end tests: OneLogin's python3-saml (Debian python3-onelogin-saml2).

Reads one JSON command on stdin and prints one JSON answer:
  {"mode": "metadata", "settings": {...}}                  -> {"metadata": "<xml>"}
  {"mode": "login", "settings": {...}, "relayState": "r"}  -> {"url": "...", "requestId": "..."}
  {"mode": "acs", "settings": {...}, "requestId": "...", "acsHost": "...", "acsPath": "...", "post": {...}}
      -> {"ok": bool, "errors": [...], "reason": "...", "nameId": "...", "attributes": {...}}
"""
import json
import sys

from onelogin.saml2.auth import OneLogin_Saml2_Auth
from onelogin.saml2.settings import OneLogin_Saml2_Settings


def main():
    command = json.load(sys.stdin)
    settings = command["settings"]
    if command["mode"] == "metadata":
        print(json.dumps({"metadata": OneLogin_Saml2_Settings(settings, sp_validation_only=True).get_sp_metadata().decode()}))
        return
    request = {"https": "on", "http_host": command.get("acsHost", "sp.test"), "script_name": command.get("acsPath", "/"),
               "get_data": {}, "post_data": command.get("post", {})}
    auth = OneLogin_Saml2_Auth(request, settings)
    if command["mode"] == "login":
        url = auth.login(return_to=command.get("relayState"))
        print(json.dumps({"url": url, "requestId": auth.get_last_request_id()}))
        return
    auth.process_response(request_id=command.get("requestId"))
    print(json.dumps({
        "ok": not auth.get_errors() and auth.is_authenticated(),
        "errors": auth.get_errors(),
        "reason": auth.get_last_error_reason(),
        "nameId": auth.get_nameid(),
        "attributes": auth.get_attributes(),
    }))


main()
