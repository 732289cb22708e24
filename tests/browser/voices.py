"""A stand-in for the browser's speech synthesis, for the read-aloud tests (issue 14, item 6).

Headless Chromium lists no voices, so an init script replaces `speechSynthesis.getVoices`,
`speak` and `cancel` (and the utterance, whose `voice` setter would refuse a plain object)
before any page script runs. What the page asked to say is kept in `window.__spoken`, and
each cancel is counted in `window.__cancels` and also sent as a beacon to CANCEL_PATH, so a
cancel made while the page is being left (Exit) is still seen, as a request.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

CANCEL_PATH = "/__speech-cancelled"


@dataclass(frozen=True)
class Voice:
    name: str
    lang: str
    localService: bool  # the Web Speech API's own name
    default: bool = False


def local(lang: str) -> Voice:
    return Voice(f"On the device ({lang})", lang, True)


def remote(lang: str) -> Voice:
    return Voice(f"On a server ({lang})", lang, False)


def stub(voices: list[Voice], report: bool = True) -> str:
    beacon = f'navigator.sendBeacon("{CANCEL_PATH}");' if report else ""
    listed = json.dumps([{**asdict(voice), "voiceURI": voice.name} for voice in voices])
    return f"""
(function () {{
  var voices = {listed};
  window.__spoken = [];
  window.__cancels = 0;
  window.SpeechSynthesisUtterance = function (text) {{ this.text = text; }};
  speechSynthesis.getVoices = function () {{ return voices; }};
  speechSynthesis.speak = function (utterance) {{
    var voice = utterance.voice;
    window.__spoken.push({{text: utterance.text, lang: utterance.lang,
                           voice: voice ? voice.name : null,
                           local: voice ? voice.localService : null}});
  }};
  speechSynthesis.cancel = function () {{
    window.__cancels += 1;
    {beacon}
  }};
}})();
"""
