"""A corpus of XSS payloads for the course-file and admin tests.

Each template holds ``{js}``, the script a payload tries to run: ``window.__xss_<n>=1`` (or
``alert(<n>)`` for every fifth one), so a browser test can tell which payload ran, if any, by
the globals it set or the dialog it opened. ``{b64}`` is that script wrapped in
``<script>…</script>`` and base64-encoded, for ``data:`` URLs. ``payloads()`` numbers the
templates and fills them in; every payload is distinct.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass

MARKER_PREFIX = "__xss_"

# (category, template). Categories: script, handler, javascript-url, data-url, svg-mathml,
# encoded (entity-encoded, mixed-case and otherwise disguised), markdown, attribute
# (breaking out of an attribute or a plain-text context).
_TEMPLATES: list[tuple[str, str]] = [
    # ------------------------------------------------------------ script tags
    ("script", "<script>{js}</script>"),
    ("script", "<SCRIPT>{js}</SCRIPT>"),
    ("script", "<ScRiPt>{js}</sCrIpT>"),
    ("script", '<script src="data:text/javascript,{js}"></script>'),
    ("script", "<<script>{js};//<</script>"),
    ("script", '<script type="module">{js}</script>'),
    ("script", "</p><script>{js}</script><p>"),
    ("script", "<scr<script>ipt>{js}</scr</script>ipt>"),
    ("script", "<script\n>{js}</script\n>"),
    ("script", "</textarea><script>{js}</script>"),
    ("script", "</title><script>{js}</script>"),
    ("script", "</style><script>{js}</script>"),
    ("script", '<noscript><p title="</noscript><img src=x onerror={js}>"></noscript>'),
    ("script", "<template><script>{js}</script></template>"),
    ("script", "<!--><script>{js}</script>-->"),
    ("script", "<![CDATA[<script>{js}</script>]]>"),
    # ------------------------------------------------------------ event handlers
    ("handler", "<img src=x onerror={js}>"),
    ("handler", '<img src="x" onerror="{js}">'),
    ("handler", "<img/src=x/onerror={js}>"),
    ("handler", "<img src=x onerror\n={js}>"),
    ("handler", "<body onload={js}>"),
    ("handler", "<svg onload={js}>"),
    ("handler", '<div onmouseover="{js}">hover me</div>'),
    ("handler", "<input autofocus onfocus={js}>"),
    ("handler", "<details open ontoggle={js}><summary>x</summary></details>"),
    ("handler", "<video><source onerror={js}></video>"),
    ("handler", "<audio src=x onerror={js}>"),
    ("handler", "<iframe onload={js}></iframe>"),
    ("handler", "<marquee onstart={js}>x</marquee>"),
    ("handler", '<a onclick="{js}" href="#">click</a>'),
    ("handler", '<p onpointerenter="{js}">point here</p>'),
    ("handler", "<x contenteditable autofocus onfocus={js}>x</x>"),
    ("handler", "<select autofocus onfocus={js}></select>"),
    ("handler", "<textarea autofocus onfocus={js}></textarea>"),
    ("handler", "<object data=x onerror={js}></object>"),
    ("handler", "<style onload={js}></style>"),
    ("handler", "<img src=x:x onerror={js}>"),
    ("handler", '<table background="x" onerror="{js}"><tr><td>x</td></tr></table>'),
    ("handler", "<abbr title=x onmouseover={js}>abbr</abbr>"),
    ("handler", "<strong onanimationstart={js} style=animation-name:x>x</strong>"),
    # ------------------------------------------------------------ javascript: URLs
    ("javascript-url", '<a href="javascript:{js}">link</a>'),
    ("javascript-url", '<a href="JaVaScRiPt:{js}">link</a>'),
    ("javascript-url", '<a href="  javascript:{js}">link</a>'),
    ("javascript-url", '<a href="java&#x09;script:{js}">link</a>'),
    (
        "javascript-url",
        '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;{js}">link</a>',
    ),
    ("javascript-url", '<a href="&#x6A;avascript:{js}">link</a>'),
    ("javascript-url", '<a href="javascript&colon;{js}">link</a>'),
    ("javascript-url", '<a href="jav\tascript:{js}">link</a>'),
    ("javascript-url", '<iframe src="javascript:{js}"></iframe>'),
    ("javascript-url", '<form action="javascript:{js}"><button>go</button></form>'),
    ("javascript-url", '<button formaction="javascript:{js}">go</button>'),
    ("javascript-url", '<a href="vbscript:{js}">link</a>'),
    ("javascript-url", '<embed src="javascript:{js}">'),
    ("javascript-url", '<img src="javascript:{js}">'),
    (
        "javascript-url",
        '<a href="http://x" style="background:url(javascript:{js})">x</a>',
    ),
    ("javascript-url", '<meta http-equiv="refresh" content="0;url=javascript:{js}">'),
    ("javascript-url", '<base href="javascript:{js}//">'),
    # ------------------------------------------------------------ data: URLs
    ("data-url", '<a href="data:text/html,<script>{js}</script>">link</a>'),
    ("data-url", '<a href="data:text/html;base64,{b64}">link</a>'),
    ("data-url", '<iframe src="data:text/html,<script>{js}</script>"></iframe>'),
    ("data-url", '<object data="data:text/html;base64,{b64}"></object>'),
    ("data-url", '<embed src="data:text/html;base64,{b64}">'),
    ("data-url", '<img src="data:image/svg+xml,<svg onload={js}>">'),
    ("data-url", '<script src="data:,{js}"></script>'),
    ("data-url", '<link rel="import" href="data:text/html;base64,{b64}">'),
    (
        "data-url",
        '<meta http-equiv="refresh" content="0;url=data:text/html;base64,{b64}">',
    ),
    ("data-url", "[link](data:text/html;base64,{b64})"),
    ("data-url", "![image](data:image/svg+xml;base64,{b64})"),
    # ------------------------------------------------------------ SVG and MathML
    ("svg-mathml", "<svg><script>{js}</script></svg>"),
    ("svg-mathml", '<svg><script href="data:,{js}"/></svg>'),
    ("svg-mathml", "<svg><animate onbegin={js} attributeName=x dur=1s></svg>"),
    (
        "svg-mathml",
        '<svg><a xlink:href="javascript:{js}"><text x="20" y="20">x</text></a></svg>',
    ),
    (
        "svg-mathml",
        "<svg><foreignObject><img src=x onerror={js}></foreignObject></svg>",
    ),
    ("svg-mathml", "<svg><style><img src=x onerror={js}></style></svg>"),
    ("svg-mathml", "<svg><image href=x onerror={js} /></svg>"),
    ("svg-mathml", "<svg><desc><img src=x onerror={js}></desc></svg>"),
    ("svg-mathml", '<svg></p><style><a id="</style><img src=1 onerror={js}>">'),
    ("svg-mathml", "<math><mtext><table><mglyph><style><img src=x onerror={js}>"),
    (
        "svg-mathml",
        '<math><maction actiontype="statusline" xlink:href="javascript:{js}">x</maction></math>',
    ),
    ("svg-mathml", '<math href="javascript:{js}"><mi>x</mi></math>'),
    (
        "svg-mathml",
        "<form><math><mtext></form><form><mglyph><style></math><img src onerror={js}>",
    ),
    (
        "svg-mathml",
        '<math><annotation-xml encoding="text/html"><img src=x onerror={js}></annotation-xml></math>',
    ),
    ("svg-mathml", "<svg><set attributeName=onload to={js} /></svg>"),
    # ------------------------------------------------------------ encoded, mixed case
    ("encoded", "&lt;script&gt;{js}&lt;/script&gt;"),
    ("encoded", "&#60;script&#62;{js}&#60;/script&#62;"),
    ("encoded", "&#x3C;img src=x onerror={js}&#x3E;"),
    ("encoded", "\\u003cscript\\u003e{js}\\u003c/script\\u003e"),
    ("encoded", "%3Cscript%3E{js}%3C/script%3E"),
    ("encoded", '<IMG SRC="jav&#x0D;ascript:{js}">'),
    ("encoded", "<iMg sRc=x oNeRrOr={js}>"),
    ("encoded", "<sVg OnLoAd={js}>"),
    ("encoded", '<a HREF="JAVASCRIPT:{js}">link</a>'),
    ("encoded", "<IMG SRC=x ONERROR={js}>"),
    ("encoded", "<<img src=x onerror={js}>>"),
    ("encoded", "<img src=`x` onerror={js}>"),
    ("encoded", '<img """><script>{js}</script>">'),
    ("encoded", "<img src=x onerror={js}//"),
    ("encoded", "\\x3cscript\\x3e{js}\\x3c/script\\x3e"),
    ("encoded", "&amp;lt;script&amp;gt;{js}&amp;lt;/script&amp;gt;"),
    ("encoded", '<a href="&#0000106&#0000097vascript:{js}">link</a>'),
    ("encoded", "+ADw-script+AD4-{js}+ADw-/script+AD4-"),
    # ------------------------------------------------------------ Markdown links and images
    ("markdown", "[click](javascript:{js})"),
    ("markdown", "[click](JAVASCRIPT:{js})"),
    ("markdown", "[click](<javascript:{js}>)"),
    ("markdown", "<javascript:{js}>"),
    ("markdown", "[click][ref]\n\n[ref]: javascript:{js}"),
    ("markdown", "![image](javascript:{js})"),
    ("markdown", "[click](javascript://%0a{js})"),
    ("markdown", "[click](  javascript:{js}  )"),
    ("markdown", "[click](&#106;avascript:{js})"),
    ("markdown", "[click](javascript&#58;{js})"),
    ("markdown", '![image](x" onerror="{js})'),
    ("markdown", '![image"onerror="{js}](http://example.com/x.png)'),
    ("markdown", "[click](http://example.com 'a\" onmouseover=\"{js}')"),
    ("markdown", '<http://example.com/" onmouseover="{js}>'),
    ("markdown", "[<img src=x onerror={js}>](http://example.com)"),
    ("markdown", "![<img src=x onerror={js}>](http://example.com/x.png)"),
    ("markdown", "`<img src=x onerror={js}>`"),
    ("markdown", "```\n<script>{js}</script>\n```"),
    ("markdown", '```"><script>{js}</script>\nx\n```'),
    ("markdown", "| a |\n|---|\n| <img src=x onerror={js}> |"),
    ("markdown", "> <img src=x onerror={js}>"),
    ("markdown", '* <a href="javascript:{js}">item</a>'),
    ("markdown", "[click][ref]\n\n[ref]: data:text/html,<script>{js}</script>"),
    ("markdown", "*<img src=x onerror={js}>*"),
    ("markdown", '[a](http://example.com "t>x <img src=x onerror={js}>")'),
    ("markdown", '<abbr title="a>lt <img src=x onerror={js}>">abbr</abbr>'),
    # ------------------------------------------------------------ attribute breakouts
    ("attribute", '" onmouseover="{js}'),
    ("attribute", "' onmouseover='{js}"),
    ("attribute", '" autofocus onfocus="{js}'),
    ("attribute", '"><img src=x onerror={js}>'),
    ("attribute", "'><img src=x onerror={js}>"),
    ("attribute", "x onerror={js} y"),
    ("attribute", "</dd></dl><img src=x onerror={js}><dl><dd>"),
    ("attribute", "{{{{ 7*7 }}}} {{% debug %}} <img src=x onerror={js}>"),
]


@dataclass(frozen=True)
class Payload:
    number: int
    category: str
    text: str

    @property
    def marker(self) -> str:
        """The global the payload sets if its script runs."""
        return f"{MARKER_PREFIX}{self.number}"


def _script(number: int) -> str:
    if number % 5 == 0:
        return f"alert({number})"
    return f"window.{MARKER_PREFIX}{number}=1"


def payloads() -> list[Payload]:
    """Every payload, numbered from 1, with its script filled in."""
    result = []
    for number, (category, template) in enumerate(_TEMPLATES, start=1):
        js = _script(number)
        b64 = base64.b64encode(f"<script>{js}</script>".encode()).decode()
        result.append(Payload(number, category, template.format(js=js, b64=b64)))
    return result


CATEGORIES = frozenset(category for category, _template in _TEMPLATES)
