import { describe, expect, it } from "vitest";
import { textTokens } from "~/core/ranking/text-tokens";
import { htmlToText } from "./html-text";

describe("htmlToText", () => {
  it("GIVEN a description with typographic and accented named entities THEN they read as the characters", () => {
    expect(htmlToText("<p>Nice&rsquo;s mug &eacute;t&eacute; &hellip; &ldquo;hot&rdquo; &ndash; 12&nbsp;oz</p>")).toBe(
      "Nice’s mug été … “hot” – 12 oz",
    );
    expect(htmlToText("&Eacute;cole &agrave; &ccedil;a, &szlig;, &oelig;uvre &copy; &euro;5 &frac12; &sup2; &times;")).toBe(
      "École à ça, ß, œuvre © €5 ½ ² ×",
    );
  });

  it("GIVEN entities THEN no entity name is left for the ranking's text similarity to take as a word", () => {
    const tokens = textTokens(htmlToText("<p>Grandma&rsquo;s cr&egrave;me br&ucirc;l&eacute;e set &mdash; ramekins&hellip;</p>"));
    expect(tokens).toEqual(["grandma", "creme", "brulee", "ramekin"]);
  });

  it("reads names case-sensitively, as HTML does", () => {
    expect(htmlToText("&Aacute; &aacute; &AMP; &amp; &LT;b&GT;")).toBe("Á á & & <b>");
    // Not an entity: left as written.
    expect(htmlToText("&Amp; &EACUTE; &nosuch; &constructor; AT&T")).toBe("&Amp; &EACUTE; &nosuch; &constructor; AT&T");
  });

  it("decodes numeric references, decimal and hexadecimal, as HTML5 does", () => {
    expect(htmlToText("&#8217;x&#8217; &#x2019; &#X201C;q&#x201d; &#233;t&#0233; &#x1F375;")).toBe("’x’ ’ “q” été 🍵");
    // Word's curly quotes written as Windows-1252 bytes.
    expect(htmlToText("it&#146;s &#147;new&#148; &#150; &#128;9")).toBe("it’s “new” – €9");
    // No such character: the replacement character, as a browser shows.
    expect(htmlToText("a&#0;b &#xD800; &#x110000; &#99999999999999999999;")).toBe("a\ufffdb \ufffd \ufffd \ufffd");
  });

  it("decodes once: an escaped entity stays the text of that entity", () => {
    expect(htmlToText("&amp;eacute; &amp;#233;")).toBe("&eacute; &#233;");
  });

  it("drops soft hyphens and reads non-breaking spaces as spaces", () => {
    expect(htmlToText("extra&shy;ordinary &nbsp;&nbsp; mug&#160;&#160;cup")).toBe("extraordinary mug cup");
  });

  it("still turns markup into lines of plain text", () => {
    expect(htmlToText("<h2>Care</h2><ul><li>Wash</li><li>Dry</li></ul><script>x()</script><p>Line1<br>Line2 &amp; more</p>")).toBe(
      "Care\nWash\nDry\nLine1\nLine2 & more",
    );
  });

  it("GIVEN scripts, styles and tags, closed or not THEN they are removed as the description's regular expressions always removed them", () => {
    // The rules as they were written: a script or style with its own end tag goes whole, every other tag is a space.
    const reference = (html: string) =>
      html
        .replace(/<(script|style)\b[^>]*>[\s\S]*?<\/\1>/gi, " ")
        .replace(/<br\s*\/?>|<\/(p|div|li|h[1-6])>/gi, "\n")
        .replace(/<[^>]*>/g, " ")
        .replace(/[ \t\f\v\r\u00a0]+/g, " ")
        .replace(/ *\n[\n ]*/g, "\n")
        .trim();
    const pieces = ["<script>", "<SCRIPT a='1'>", "</script>", "</Script>", "<style>", "</style>", "<scripts>", "<p>", "</p>", "<br/>", "<", ">", "x", " ", "\n", "<b", "</li>"];
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) % pieces.length;
    for (let sample = 0; sample < 2_000; sample++) {
      const html = Array.from({ length: 1 + (sample % 14) }, () => pieces[next()]).join("");
      expect(htmlToText(html), JSON.stringify(html)).toBe(reference(html));
    }
  });

  it("GIVEN a cell of opening tags that never close (an upload made to stall the app) THEN it is read in linear time", () => {
    // Each case took the old regular expressions 5 to 20 seconds (the time grew with the square of
    // the length), holding every shop's requests and jobs in this process; a 50 MB cell, hours.
    // A guard against that growth, not a speed goal: linear scans take milliseconds here, so the
    // limit leaves a margin of hundreds even on a slow machine.
    for (const html of ["<script>".repeat(100_000), "<style x".repeat(100_000) + "</script>", "<a".repeat(100_000)]) {
      const started = performance.now();
      htmlToText(html);
      expect(performance.now() - started).toBeLessThan(2_000);
    }
  });
});
