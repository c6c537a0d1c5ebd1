/*
 * Upshelf storefront widgets. Loaded once with `defer` by every Upshelf block; no framework and no
 * third-party requests: data comes from the app proxy (data-proxy, /apps/upshelf on Shopify) and the
 * storefront's own Ajax API under window.Shopify.routes.root. Any failure or a slow answer leaves the
 * widget hidden; nothing here touches the theme's own add-to-cart form.
 */
// Bundled in by build.mjs: the widget must count a currency's minor units exactly as the server and
// checkout do (ISO 4217), not as the browser's Intl data does (it gives HUF or IDR no decimals).
import { minorUnitDigits as currencyDecimals } from "../../../app/core/money";
// Also bundled: the holdout test's assignment, the very hash the server uses to read the results.
import { groupFor } from "../../../app/core/experiments/assignment";
/* global publish, PUB_SUB_EVENTS -- Dawn's pubsub, when the theme has it (see cartWrite). */

(() => {
  const doc = document;
  const root = (window.Shopify?.routes?.root || "/").replace(/\/?$/, "/");
  const $ = (el, selector) => el.querySelector(selector);
  const fill = (text, values) => text.replace(/\{(\w)\}/g, (all, key) => values[key] ?? all);
  const lang = doc.documentElement.lang || undefined;

  // Reads wait at most 4 s (a slow widget is a hidden widget); cart writes get longer, since giving
  // up on one does not undo it.
  const call = (url, body, ms = 4000) => {
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), ms);
    // (Fetch sends the storefront's cookies to its own origin by default: the cart is the buyer's.)
    // (A read says its body's type too: harmless without a body, and one headers object for both.)
    const type = "application/json";
    return fetch(url, { headers: { Accept: type, "Content-Type": type }, signal: abort.signal, ...(body && { method: "POST", body: JSON.stringify(body) }) })
      .then((response) => {
        // (The failed response is what is thrown: no caller reads a failure's reason, only that it
        // failed, and none of them takes it for the 0 some throw for "nothing to show".)
        if (!response.ok) throw response;
        return response.json();
      })
      .finally(() => clearTimeout(timer));
  };
  const cache = {};
  // A failed read is forgotten, so the next need asks again: a passing error must not hide a
  // widget for the rest of the visit.
  const once = (url) =>
    (cache[url] ||= call(url).catch((error) => {
      delete cache[url];
      throw error;
    }));
  const product = (handle) => once(`${root}products/${handle}.js`);
  const cartNow = () => call(root + "cart.js");
  // The app's pricing of these cart lines (`items`: lines as the Ajax cart gives them, or alike;
  // the app takes a variant id as a number or a string).
  const priceItems = (el, items) => call(el.dataset.proxy + "/cart/price", { lines: items.map((line) => ({ variant_id: line.variant_id, quantity: line.quantity })) });

  const formats = {};
  // `digits`: the fraction digits always shown (undefined: as the locale usually shows the currency).
  const format = (currency, digits) => (formats[currency + digits] ||= new Intl.NumberFormat(lang, { style: "currency", currency, minimumFractionDigits: digits }));
  // The locale's usual style for a whole amount ("Ft 1,235"); any other with every decimal the
  // currency has ("Ft 1,234.50"), which the usual style could round: savings are stated exactly.
  // (Where the usual style has those decimals, that is how it shows them too.)
  const money = (minor, currency) => {
    const digits = currencyDecimals(currency);
    const amount = minor / 10 ** digits;
    // (`amount % 1` is 0 exactly for a whole amount: Number.isInteger cost 9 B gzipped more.)
    return format(currency, amount % 1 ? digits : undefined).format(amount);
  };
  // Shopify's Ajax API counts every currency in hundredths; Upshelf's API in the currency's minor unit.
  const fromCents = (cents, currency) => Math.round(cents * 10 ** (currencyDecimals(currency) - 2));

  // --- Feedback: batched, sent with sendBeacon, nothing personal -------------------------------
  const queue = [];
  let beaconUrl;
  let beaconTimer;
  const flush = () => {
    while (queue.length) {
      const body = JSON.stringify({ events: queue.splice(0, 50) });
      try {
        navigator.sendBeacon(beaconUrl, body);
      } catch {
        queue.length = 0;
      }
    }
  };
  // `offer`: the offer credited, or null. `propensity`: the probability the policy showed the item
  // there (a number, or the dataset's text); an item on screen was shown with a probability above
  // 0, so none (null, "") is the only falsy one.
  const track = (el, kind, productId, offer, propensity) => {
    beaconUrl = el.dataset.proxy + "/events";
    // The anchor the server's re-ranker learned under (a cart's first known product), so feedback
    // lands where it is read; else a product page's product (only product-page blocks carry one).
    // (None is left out of the event, which the app reads as null.)
    const anchor = el.dataset.feedbackAnchor || el.dataset.productId;
    // (The product's id as text, which the app requires: "" + is String() in fewer bytes.)
    queue.push({ kind, placement: el.dataset.placement, anchor, product: "" + productId, offer, model: el.dataset.model, propensity: +propensity || null });
    clearTimeout(beaconTimer);
    beaconTimer = setTimeout(flush, 2000);
  };
  addEventListener("pagehide", flush);
  doc.addEventListener("visibilitychange", () => doc.visibilityState === "hidden" && flush());

  // An impression counts once half of an item has actually been on screen, and once per widget and
  // product: the cart upsell draws its items again after every cart change.
  const seen = new IntersectionObserver(
    (entries) => {
      for (const { isIntersecting, target } of entries) {
        if (!isIntersecting) continue;
        seen.unobserve(target);
        const { product, propensity } = target.dataset;
        const el = target.closest("[data-upshelf]");
        // An item a redraw took out of its list between being seen and being reported is not counted.
        if (!el) continue;
        const shown = (el.shown ||= {});
        if (shown[product]) continue;
        shown[product] = 1;
        track(el, "impression", product, null, propensity);
      }
    },
    { threshold: 0.5 },
  );
  const observe = (node) => seen.observe(node);

  // --- The cart: writes, theme refresh, following changes made by anyone ----------------------
  const followers = [];
  let followTimer;
  // The read of the latest cart change (at first, a plain read): a widget draws only what it
  // learned from it, and one that starts later (a redrawn drawer) first draws with it too. A slower
  // answer learned from an earlier cart is dropped, drawn or failed: `isLatest` never settles for
  // it, and the failure handlers check `read == latest` (or use `failLatest`).
  let latest = cartNow;
  const isLatest = (read) => read == latest || new Promise(() => {});
  const failLatest = (read) => (error) =>
    isLatest(read).then(() => {
      throw error;
    });
  const cartChanged = () => {
    clearTimeout(followTimer);
    // One read of the changed cart, shared by every widget that follows it (and made only if one asks).
    let read;
    latest = () => (read ||= cartNow());
    followTimer = setTimeout(() => followers.forEach((follow) => follow(latest)), 200);
  };
  try {
    new PerformanceObserver((list) => {
      // The holdout test's own cart mark (?upshelf) changes nothing a widget shows; following it
      // would refresh every widget, and a failing mark would retry itself endlessly.
      if (list.getEntries().some((entry) => /\/cart\/(add|change|update|clear)\b(?!\.js\?upshelf)/.test(entry.name))) cartChanged();
    }).observe({ type: "resource" });
  } catch {
    /* Older browsers: the events below still work. */
  }
  for (const name of ["cart:refresh", "cart:updated", "cart:change"]) doc.addEventListener(name, cartChanged);

  // Where a section named in the block's settings is on the page: Shopify wraps each section in
  // #shopify-section-<id>. Dawn also places some by hand: #cart-icon-bubble holds the contents of
  // the "cart-icon-bubble" section, and #main-cart-items names its own section in data-id.
  const sectionTarget = (name) => {
    const part = "shopify-section-" + name;
    const el = doc.getElementById(part) || doc.getElementById(name);
    return el && (el.id == name && el.dataset.id ? { id: el.dataset.id, el, part: name } : { id: name, el, part });
  };
  const cartWrite = (el, path, body) => {
    const targets = el.dataset.sections
      .split(",")
      .map((name) => sectionTarget(name.trim()))
      // A section holding this widget is left alone: replacing it would restart the widget and
      // lose what it just added (and the buyer's focus). Other widgets inside refreshed HTML start.
      .filter((target) => target && !target.el.contains(el))
      .slice(0, 5);
    if (targets.length) Object.assign(body, { sections: targets.map((target) => target.id).join(), sections_url: location.pathname });
    return call(root + path, body, 15000).then((result) => {
      const html = result.sections || {};
      let refreshed = 0;
      for (const target of targets) {
        if (!html[target.id]) continue;
        const fresh = new DOMParser().parseFromString(html[target.id], "text/html");
        target.el.innerHTML = (fresh.getElementById(target.part) || fresh.body).innerHTML;
        // Upshelf blocks inside the fresh HTML start like any others.
        scan(target.el);
        refreshed++;
      }
      // Themes that cannot take section HTML listen for this instead.
      if (!refreshed) doc.dispatchEvent(new CustomEvent("cart:refresh", { bubbles: true, detail: result }));
      // Dawn, and themes built on it, redraw their cart drawer's lines and the cart page's items on
      // this event of their own pubsub, leaving the rest of the drawer (and an upsell in it) alone.
      // With the cart data, as Dawn's own product form sends it; a theme subscriber that throws
      // must not turn the buyer's successful add into an error. A theme without that pubsub throws
      // here too (no `publish` function, or no PUB_SUB_EVENTS), and the catch takes it alike: no
      // typeof checks, which cost 23 B gzipped.
      try {
        publish(PUB_SUB_EVENTS.cartUpdate, { source: "upshelf", cartData: result });
      } catch {
        /* the theme's problem; the cart write succeeded */
      }
      cartChanged();
      return result;
    });
  };
  // `text`: which of the block's texts (data-t-*) to announce, such as "tAdded".
  const say = (el, text) => {
    const status = $(el, "[data-status]");
    status.textContent = "";
    setTimeout(() => (status.textContent = el.dataset[text]), 50);
  };
  const properties = (el, offer) => ({ _upshelf_offer: offer || "recommendation", _upshelf_placement: el.dataset.placement });

  // A tap that writes the cart. The button is marked busy rather than disabled while the write
  // runs: disabling the focused button would drop keyboard and screen-reader users' focus to the
  // top of the page. A write that fails says so in the widget's status line.
  const onTap = (el, button, run) =>
    (button.onclick = async () => {
      if (button.hasAttribute("aria-disabled")) return;
      button.setAttribute("aria-disabled", "true");
      try {
        await run();
      } catch {
        say(el, "tError");
      } finally {
        button.removeAttribute("aria-disabled");
      }
    });

  // The cart lines an add put its items in (`result`: what cart/add.js returned).
  const addedKeys = (result) => (result.items || [result]).map((line) => line.key);
  // Takes back exactly the units a widget added to each of these lines (`n`, the units an upgrade's
  // swap added; none or null: one), from the lines as they are now (the buyer may have changed them in
  // the theme's cart since), and nothing else.
  const takeBack = async (el, keys, n) => {
    const cart = await cartNow();
    for (const key of keys) {
      const line = cart.items.find((item) => item.key == key);
      if (line) await cartWrite(el, "cart/change.js", { id: key, quantity: line.quantity - (n || 1) });
    }
  };
  // After a product-page widget's add (`result`: what the cart returned): says so, and one tap
  // takes back what it added. After an upgrade's swap (`lines`: the cart lines it replaced, `n`
  // units in all; null after an upgrade added without a swap), the tap first puts those lines back as they were, in one add (variant,
  // quantity, properties; a swap never takes a line bought on a selling plan, so there is no plan
  // to put back), then takes the upgrade out: nothing of the buyer's is lost if the second write
  // fails. (A line without properties may come back with null, which an add need not take: none
  // is sent as {}.)
  const offerUndo = (el, result, focusAfter, lines = [], n) => {
    say(el, "tAdded");
    const undo = $(el, "[data-undo]");
    undo.hidden = false;
    onTap(el, undo, async () => {
      if (lines[0])
        await cartWrite(el, "cart/add.js", {
          items: lines.map((line) => ({ id: line.variant_id, quantity: line.quantity, properties: line.properties || {} })),
        });
      await takeBack(el, addedKeys(result), n);
      undo.hidden = true;
      // Back to the button that added, or, while a failed redraw hides it (the upgrade's), to the
      // block's heading: never to the top of the page.
      focusAfter.focus();
      if (doc.activeElement != focusAfter) $(el, "h2").focus();
      say(el, "tRemoved");
    });
  };

  // --- Items -----------------------------------------------------------------------------------
  // A product's picture, when it has one, at the size drawn (Shopify's image URLs usually carry a
  // query, ?v=…, already).
  const showPicture = (img, src) => src && Object.assign(img, { src: src + (src.includes("?") ? "&" : "?") + "width=128", hidden: false });
  // The ranked items for the widget's placement; its feedback is then sent under the model and the
  // anchor that ranked them.
  const recommend = async (el, query) => {
    const recs = await call(`${el.dataset.proxy}/recommendations?placement=${el.dataset.placement}&${query}&limit=${el.dataset.limit}`);
    el.dataset.model = recs.modelVersion;
    el.dataset.feedbackAnchor = recs.anchor || "";
    return recs.recommendations;
  };
  const loadItems = (recommendations) =>
    Promise.all(
      recommendations.map((rec) =>
        product(rec.handle).then(
          (p) => {
            const variant = p.variants.find((v) => v.id == rec.variantId && v.available) || p.variants.find((v) => v.available);
            return variant && { p, v: variant, propensity: rec.propensity };
          },
          () => null,
        ),
      ),
    ).then((items) => items.filter(Boolean));

  const itemNode = (el, item) => {
    const { p, v } = item;
    const li = $(el, "[data-tpl]").content.firstElementChild.cloneNode(true);
    const currency = el.dataset.currency;
    showPicture($(li, "img"), v.featured_image?.src || p.featured_image);
    const title = $(li, ".upshelf__title");
    title.textContent = p.title;
    if (title.tagName == "A") title.href = `${root}products/${p.handle}`;
    const price = $(li, ".upshelf__price");
    const compare = $(li, "s");
    if (el.dataset.prices != "true") price.remove();
    else {
      $(price, ".upshelf__now").textContent = money(fromCents(v.price, currency), currency);
      if (el.dataset.compare == "true" && v.compare_at_price > v.price) compare.textContent = money(fromCents(v.compare_at_price, currency), currency);
      else compare.remove();
    }
    li.dataset.product = p.id;
    if (item.propensity != null) li.dataset.propensity = item.propensity;
    return li;
  };

  // --- Frequently bought together ----------------------------------------------------------------
  const productFormVariant = (el) => {
    const input = doc.querySelector('form[action*="/cart/add"] [name="id"]');
    return input?.value || el.dataset.variantId;
  };

  const fbt = async (el) => {
    const currency = el.dataset.currency;
    const [recs, anchor, cart] = await Promise.all([recommend(el, "product_id=" + el.dataset.productId), product(el.dataset.handle), cartNow().catch(() => {})]);
    const items = await loadItems(recs);
    if (!items.length) throw 0;
    const anchorBox = $(el, "[data-anchor]");
    // In the cart (at load, or after any cart change, such as the theme's own add): "add selected"
    // must not add a second one the buyer did not ask for. The buyer may tick it again.
    const followCart = (known) => known?.items.some((item) => item.product_id == el.dataset.productId) && (anchorBox.checked = false);
    followCart(cart);
    const button = $(el, "[data-add-selected]");
    let offer = null;
    let version = 0;
    let pricing;

    const checked = () => [...el.querySelectorAll(".upshelf__check:checked")];
    // `known`: the cart already read (at load, or by a cart change), so it is not read twice.
    // A widget the theme replaced (a re-rendered section) prices nothing more: its listeners stay.
    const reprice = (known) => el.isConnected && (pricing = priceSelection(known));
    const priceSelection = async (known) => {
      const mine = ++version;
      const variant = anchor.variants.find((v) => v.id == productFormVariant(el)) || anchor.variants[0];
      anchorBox.value = variant.id;
      // A sold-out choice cannot be added: unticked and disabled, never counted in the total.
      anchorBox.disabled = !variant.available;
      if (anchorBox.disabled) anchorBox.checked = false;
      anchorBox.dataset.price = variant.price;
      const anchorPrice = $(el, "[data-anchor-price]");
      if (anchorPrice) anchorPrice.textContent = money(fromCents(variant.price, currency), currency);
      const boxes = checked();
      if (!boxes.length) {
        offer = null;
        $(el, "[data-total]").textContent = el.dataset.tNone;
        $(el, "[data-saving]").textContent = "";
        return;
      }
      const subtotal = boxes.reduce((sum, box) => sum + fromCents(+box.dataset.price, currency), 0);
      let saving = 0;
      let gainedOffer = null;
      try {
        // What adding the selection saves is what checkout takes off the cart with it, less what it
        // takes off the cart already: a discount the selection would lose to one in the cart (or
        // gain by crossing a spend tier) is counted as checkout will count it.
        const inCart = (known || (await cartNow())).items;
        const added = boxes.map((box) => ({ variant_id: box.value, quantity: 1 }));
        const [before, after] = await Promise.all([inCart[0] && priceItems(el, inCart), priceItems(el, inCart.concat(added))]);
        const was = (field) => (before ? before[field].amount : 0);
        // Stated only when the app priced exactly what the buyer sees, and knows every line of the
        // cart: one it does not know yet (a product created since its last sync) it prices at
        // nothing, but checkout counts it, towards a spend tier say, so no saving is guaranteed.
        if (after.currency == currency && (!before || before.currency == currency) && after.subtotal.amount - was("subtotal") == subtotal && !after.unknown_variant_ids[0]) {
          saving = Math.max(0, after.discount_total.amount - was("discount_total"));
          // Credited to an offer only when the selection completes a bundle; a spend tier or a
          // quantity break it happens to cross stays a plain recommendation.
          const gained = after.discounts.find(
            (d) => /^(fixedBundle|mixAndMatch|buyXGetY)$/.test(d.type) && !before?.discounts.some((b) => b.offer_id == d.offer_id && b.amount.amount >= d.amount.amount),
          );
          gainedOffer = saving > 0 && gained ? gained.offer_id : null;
        }
      } catch {
        /* Priced without a saving. */
      }
      // A slower answer for an earlier selection neither shows its saving nor credits its offer.
      if (mine != version) return;
      offer = gainedOffer;
      $(el, "[data-total]").textContent = money(subtotal - saving, currency);
      $(el, "[data-saving]").textContent = saving > 0 ? fill(el.dataset.tSaving, { a: money(saving, currency) }) : "";
    };

    const picks = items.map((item, index) => {
      const li = itemNode(el, item);
      const box = $(li, "input");
      box.id = `${el.id}-${index}`;
      $(li, "label").htmlFor = box.id;
      box.dataset.price = item.v.price;
      box.value = item.v.id;
      box.onchange = () => {
        if (box.checked) track(el, "click", item.p.id, null, item.propensity);
        reprice();
      };
      return li;
    });
    $(el, "[data-items]").append(...picks);
    anchorBox.onchange = () => reprice();
    doc.addEventListener("change", (event) => event.target.name == "id" && reprice());

    onTap(el, button, async () => {
      const boxes = checked();
      if (!boxes.length) return say(el, "tNone");
      // The offer credited is the one priced for this very selection: wait for the latest pricing.
      for (let waited; waited != pricing; ) await (waited = pricing);
      const result = await cartWrite(el, "cart/add.js", {
        // The viewed product is credited to Upshelf only as part of a bundle that applied;
        // bought alongside plain recommendations, it is the buyer's own choice.
        items: boxes.map((box) => ({ id: +box.value, quantity: 1, ...(box != anchorBox || offer ? { properties: properties(el, offer) } : {}) })),
      });
      for (const box of boxes) {
        const { product, propensity } = box.closest("li").dataset;
        if (box != anchorBox) track(el, "add_to_cart", product, offer, propensity);
      }
      offerUndo(el, result, button);
    });
    await reprice(cart);
    picks.forEach(observe);
    followers.push((read) =>
      read()
        .then((known) => (followCart(known), reprice(known)))
        .catch(() => {}),
    );
  };

  // --- Cart upsell (cart page block and cart drawer) --------------------------------------------
  const upsell = async (el) => {
    // Per placement for the whole page, not per element: a theme that redraws its drawer (after
    // another widget's add) gets a new upsell element, which must still offer to remove what the
    // buyer added from the old one. Kept in `cache` under the placement's name (its other keys are URLs).
    const added = (cache[el.dataset.upshelf] ||= new Map());
    // The buyer's own taps here keep the list as it is (no re-ranking under their finger): a cart
    // change within a second of their last one is drawn once that second has passed, not dropped.
    let ownWrite = 0;
    let held;
    const list = $(el, "[data-items]");
    const toggle = (button, title, isAdded) => {
      const text = isAdded ? "tRemove" : "tAdd";
      button.textContent = el.dataset[text];
      button.setAttribute("aria-label", fill(el.dataset[text + "Label"], { t: title }));
    };
    const render = async (read) => {
      const cart = await read();
      const variantIds = cart.items.map((line) => line.variant_id);
      if (!variantIds.length) throw 0;
      const recs = await recommend(el, "variant_ids=" + variantIds);
      await isLatest(read);
      // What the buyer added here stays listed, with its remove button, while it is in the cart;
      // once gone (removed in the theme's cart), it is forgotten, and offered to add again.
      for (const [id, entry] of added) if (!cart.items.some((line) => line.key == entry.key)) added.delete(id);
      const kept = [...added.values()];
      const offered = await loadItems(recs.filter((rec) => !kept.some((entry) => entry.item.p.id == rec.productId)));
      const items = kept.map((entry) => entry.item).concat(offered).slice(0, Math.max(kept.length, +el.dataset.limit));
      await isLatest(read);
      if (!items.length) throw 0;
      const focused = list.contains(doc.activeElement) && doc.activeElement.dataset.variant;
      list.replaceChildren(
        ...items.map((item) => {
          const li = itemNode(el, item);
          const button = $(li, "[data-toggle]");
          const id = String(item.v.id);
          button.dataset.variant = id;
          toggle(button, item.p.title, added.has(id));
          onTap(el, button, async () => {
            const entry = added.get(id);
            if (entry) {
              await takeBack(el, [entry.key]);
              added.delete(id);
              say(el, "tRemoved");
            } else {
              const result = await cartWrite(el, "cart/add.js", { items: [{ id: +id, quantity: 1, properties: properties(el) }] });
              added.set(id, { key: addedKeys(result)[0], item });
              track(el, "add_to_cart", item.p.id, null, item.propensity);
              say(el, "tAdded");
            }
            toggle(button, item.p.title, added.has(id));
            ownWrite = Date.now();
          });
          observe(li);
          return li;
        }),
      );
      if (focused) $(list, `[data-variant="${focused}"]`)?.focus();
      el.classList.add("is-ready");
    };
    // A refresh that fails keeps the list (and the remove buttons of what the buyer added); only
    // an empty cart or nothing to offer (thrown 0) empties it. A list the theme removed stops following.
    const follow = (read) => {
      if (!el.isConnected) return;
      clearTimeout(held);
      const pause = ownWrite + 1000 - Date.now();
      if (pause > 0) held = setTimeout(() => follow(latest), pause);
      else render(read).catch((error) => error === 0 && read == latest && el.classList.remove("is-ready"));
    };
    followers.push(follow);
    await render(latest).catch(failLatest(latest));
  };

  // --- Offers for this product: upgrade and quantity breaks -------------------------------------
  // Priced with the buyer's cart: a bigger discount already in it that an offer does not combine
  // with would win at checkout, so the app leaves that offer out. The cart travels in the URL, so
  // at most its first 100 lines, each `<variant id>:<quantity>`, and `:p` after a line bought on a
  // selling plan (a subscription: cart.js gives only such a line a selling_plan_allocation), which
  // the app prices but never offers to swap. `read`: the cart read a cart change shares between
  // the widgets.
  // `kind`: which of the product's offers the widget shows (all of them, in the app's order); none
  // (or another currency's) throws 0.
  const offersFor = async (el, variantId, kind, read = cartNow) => {
    const cart = await read().catch(() => ({ items: [] }));
    const lines = cart.items.slice(0, 100).map((line) => line.variant_id + ":" + line.quantity + (line.selling_plan_allocation ? ":p" : ""));
    const data = await once(`${el.dataset.proxy}/offers?product_id=${el.dataset.productId}${variantId ? `&variant_id=${variantId}` : ""}&cart=${lines}`);
    const offers = data.currency == el.dataset.currency ? data.offers.filter(kind) : [];
    if (!offers[0]) throw 0;
    return offers;
  };

  // Drawn again whenever the cart changes (what the upgrade costs depends on what else is in it)
  // and whenever the buyer picks another variant (the step, and its difference, are the selected
  // variant's). Only the latest draw is drawn or fails: a slower one, for an earlier cart or
  // variant, never settles. A redraw that fails while the buyer can still undo their add keeps the
  // undo (one tap removes it), but not an offer priced for the cart or variant before it.
  const upgrade = async (el) => {
    const body = $(el, "div");
    let version = 0;
    const draw = (read) => {
      const mine = ++version;
      const current = () => mine == version && read;
      return drawUpgrade(el, read, current).catch((error) => failLatest(current())(error));
    };
    const redraw = (read) =>
      draw(read).then(
        () => {
          el.hidden = body.hidden = false;
          el.classList.add("is-ready");
        },
        () => ($(el, "[data-undo]").hidden ? failed(el) : (body.hidden = true)),
      );
    followers.push(redraw);
    doc.addEventListener("change", (event) => event.target.name == "id" && redraw(latest));
    await draw(latest);
  };

  // `current()`: the read, while this draw is the latest asked for (else false).
  const drawUpgrade = async (el, read, current) => {
    const [offer] = await offersFor(el, productFormVariant(el), (o) => o.upgrade, read);
    const step = offer.upgrade;
    const currency = el.dataset.currency;
    const [p, from] = await Promise.all([product(step.handle), product(el.dataset.handle)]);
    // The difference is stated only when the app priced both steps as the shop shows them (a
    // price changed since the last sync, or a market's price adjustment, would make it wrong).
    const shows = (q, id, price) => q.variants.some((v) => v.id == id && fromCents(v.price, currency) == price.amount);
    if (!shows(p, step.variant_id, step.price) || !shows(from, step.from_variant_id, step.from_price)) throw 0;
    await isLatest(current());
    // The difference can be zero or negative when the incentive is bigger than the price step.
    const difference = step.difference.amount;
    const text = difference > 0 ? el.dataset.tMessage : difference < 0 ? el.dataset.tLess : el.dataset.tSame;
    // A long title is shortened so the message's two lines always keep the difference. A swap
    // (`q`: the units of this step in the cart, over all its lines, which the app priced the swap
    // for) of several states the difference for all of them, and names how many.
    const q = step.swap;
    const title = p.title.length > 30 ? p.title.slice(0, 29) + "…" : p.title;
    $(el, "[data-message]").textContent = fill(text, { t: (q ? q + " × " : "") + title, d: money(Math.abs(difference), currency) });
    const incentive = $(el, "[data-incentive]");
    // (The app sends an incentive only when the ladder saves something on the upgrade.)
    incentive.hidden = !step.incentive;
    if (!incentive.hidden) incentive.textContent = fill(el.dataset.tIncentive, { a: money(step.incentive.amount, currency) });
    showPicture($(el, "img"), p.featured_image);
    const view = $(el, "[data-view]");
    view.href = `${root}products/${p.handle}`;
    view.onclick = () => track(el, "click", step.product_id, offer.id);
    // With this step in the cart, the button swaps its line for the upgrade at the same quantity,
    // and is labelled so; else it adds one upgrade. Never both at once: one tap, one meaning.
    const button = $(el, "[data-add-upgrade]");
    el.classList.toggle("is-swap", q);
    onTap(el, button, async () => {
      // Every line of this step bought without a selling plan, as they are now: the app priced the
      // swap of all of them (`q` is their sum; lines differing in properties stay apart in a cart),
      // so all of them go, as the message's count says. A line on a plan stays: the app prices it
      // without the plan's saving, which a swap would also end. When their quantities no longer add
      // up to `q`, nothing is swapped (the redraw that change brings prices it again). (With no
      // swap, `q` is null and so is what the reduce gives back.)
      const lines = q ? (await cartNow()).items.filter((item) => item.variant_id == step.from_variant_id && !item.selling_plan_allocation) : [];
      if (lines.reduce((left, line) => left - line.quantity, q)) throw 0;
      // The upgrade comes in before the lines go: a failed later write leaves both, never neither.
      const result = await cartWrite(el, "cart/add.js", { items: [{ id: +step.variant_id, quantity: q || 1, properties: properties(el, offer.id) }] });
      for (const line of lines) await cartWrite(el, "cart/change.js", { id: line.key, quantity: 0 });
      track(el, "add_to_cart", step.product_id, offer.id);
      offerUndo(el, result, button, lines, q);
    });
    el.dataset.product = step.product_id;
    observe(el);
  };

  // Priced for the variant selected in the product form, and again whenever the buyer picks another.
  const quantityBreaks = async (el) => {
    let shown;
    let version = 0;
    const render = async (read) => {
      const variantId = productFormVariant(el);
      if (variantId == shown) return;
      shown = variantId;
      const mine = ++version;
      const current = () => mine == version;
      // Only the latest selection's answer is drawn: a slower earlier one is dropped, whether it
      // has tiers (shown, they would be another variant's) or none (it would hide the latest's).
      await renderQuantityBreaks(el, variantId, current, read).catch((error) => {
        if (current()) throw error;
      });
    };
    const refresh = (read) =>
      render(read).catch(() => {
        shown = undefined;
        // Emptied rather than removed while on screen: nothing below it moves.
        failed(el);
      });
    doc.addEventListener("change", (event) => event.target.name == "id" && refresh());
    // And again when the cart changes: a discount in it may now beat (or stop beating) the tiers.
    followers.push((read) => {
      shown = undefined;
      refresh(read);
    });
    await render();
  };

  // Draws the tiers and shows the box, if the selection is still `current()` when they are known.
  const renderQuantityBreaks = async (el, variantId, current, read) => {
    const [offer] = await offersFor(el, variantId, (o) => o.tiers?.length, read);
    const currency = el.dataset.currency;
    const anchor = await product(el.dataset.handle);
    const variant = anchor.variants.find((v) => v.id == variantId) || anchor.variants[0];
    const base = fromCents(variant.price, currency);
    // The tiers are priced from the app's copy of the catalog: shown only when it is the price the shop shows.
    if (offer.base_unit_price.amount != base) throw 0;
    if (!current()) return;
    // A tier is stated by its price each only when that holds at every quantity of its row; else
    // by its percentage (`percent`), which checkout rounds once over the line. The app states a
    // whole offer one way, and the table's headings follow (upshelf.css: .is-pct).
    el.classList.toggle("is-pct", offer.tiers[0].percent);
    $(el, "[data-rows]").replaceChildren(
      ...offer.tiers.map((tier) => {
        const row = doc.createElement("tr");
        const head = row.appendChild(doc.createElement("th"));
        const p = tier.percent;
        head.scope = "row";
        head.textContent = fill(el.dataset.tRow, { n: tier.min_quantity });
        row.insertCell().textContent = p ? fill(el.dataset.tOff, { p: p.toLocaleString(lang) }) : money(tier.unit_price.amount, currency);
        // (A tier priced each is listed only below the item's price: the saving is never negative.)
        if (!p && el.dataset.saving == "true") row.insertCell().textContent = money(base - tier.unit_price.amount, currency);
        return row;
      }),
    );
    el.hidden = false;
    el.classList.add("is-ready");
  };

  // --- Deals on this product: buy X get Y and mix-and-match -----------------------------------
  // Terms only, worded in the storefront's language from the numbers (with any limit per order),
  // each with the offer's name. Nothing to tap: checkout applies them. The cart does not change
  // them, so they are drawn once.
  const deals = async (el) => {
    const currency = el.dataset.currency;
    const offers = await offersFor(el, null, (o) => o.deal);
    $(el, "ul").replaceChildren(
      ...offers.map(({ title, deal: d }) => {
        const li = doc.createElement("li");
        const terms = fill(el.dataset["t" + d.kind], {
          b: d.buy,
          g: d.get,
          n: d.size,
          p: d.percent?.toLocaleString(lang),
          a: d.amount && money(d.amount.amount, currency),
          // Buy X get Y with this product on one side: the other side's product, else "selected items".
          o: d.other || el.dataset.tItems,
        });
        li.append(doc.createElement("b"), title);
        const some = d.some_variants ? fill(el.dataset.tSome, { d: terms }) : terms;
        li.firstChild.textContent = d.per_order ? fill(el.dataset.tLimit, { d: some, n: d.per_order }) : some;
        return li;
      }),
    );
  };

  // --- App embed: tier progress bar and cart-drawer upsell ---------------------------------------
  const embed = async (el) => {
    // Placed again whenever the cart changes and the theme (or a section refresh) has redrawn the
    // drawer without it: its upsell would otherwise be gone for the rest of the visit.
    const placeDrawer = () => {
      const host = el.dataset.drawer == "true" && el.dataset.drawerSelector && doc.querySelector(el.dataset.drawerSelector);
      if (!host || $(host, ".upshelf-drawer")) return;
      const section = $(el, "[data-drawer-tpl]").content.firstElementChild.cloneNode(true);
      Object.assign(section.dataset, el.dataset, { upshelf: "drawer" });
      delete section.dataset.started;
      section.append($(el, "[data-tpl]").cloneNode(true));
      host.append(section);
      start(section);
    };
    placeDrawer();
    followers.push(placeDrawer);
    const bar = $(el, "[data-bar]");
    // A browser that blocks site data throws on any touch of sessionStorage: the bar then shows,
    // and a dismissal lasts for this page only.
    let dismissed;
    try {
      dismissed = sessionStorage.getItem("upshelf-progress") == "hidden";
    } catch {
      /* Blocked: nothing is remembered. */
    }
    if (el.dataset.progress != "true") return;
    $(bar, "[data-dismiss]").onclick = () => {
      bar.hidden = dismissed = true;
      try {
        sessionStorage.setItem("upshelf-progress", "hidden");
      } catch {
        /* Blocked: the dismissal lasts for this page. */
      }
    };
    const update = async (read) => {
      const cart = await read();
      // Nothing to show hides the bar, as a failure does (the callers' catch).
      if (!cart.items.length) throw 0;
      const priced = await priceItems(el, cart.items);
      await isLatest(read);
      const currency = priced.currency;
      const step = priced.progress.find((p) => p.next_saving) || priced.progress.find((p) => p.achieved_saving);
      if (!step || currency != cart.currency) throw 0;
      const value = step.next_saving || step.achieved_saving;
      // Worded in the storefront's language from the numbers (the API's labels are English).
      const s = fill(el.dataset["t" + value.kind], { a: value.amount ? money(value.amount.amount, currency) : value.percent?.toLocaleString(lang), c: value.count });
      $(bar, "[data-message]").textContent = !step.next_saving
        ? fill(el.dataset.tAchieved, { s })
        : step.remaining
          ? fill(el.dataset.tAmount, { a: money(step.remaining.amount, currency), s })
          : // Named by the offer's title: the bar shows on every page, not only the product's.
            fill(el.dataset.tQuantity, { n: step.remaining_quantity, s, o: step.title });
      $(bar, "progress").value = step.percent;
      bar.hidden = dismissed;
    };
    const follow = (read) => update(read).catch(() => read == latest && (bar.hidden = true));
    followers.push(follow);
    await follow(latest);
  };

  // --- Holdout test --------------------------------------------------------------------------------
  // While the merchant runs one (data-exp = "<key>:<share in basis points>"), a share of visitors
  // sees no Upshelf widget, so the dashboard can compare what visitors spend with and without them.
  // A random visitor key stays in this browser; each visitor is counted once, and both groups mark
  // their cart so their orders can be told apart. Keeping that key is analytics, so a visitor takes
  // part only where Shopify's Customer Privacy API allows analytics processing; anyone else (and
  // any browser without storage) is left out of the test, keeps no key and sees the widgets.
  const holder = $(doc, "[data-exp]");
  const analyticsAllowed = () =>
    new Promise((resolve) => {
      const shopify = window.Shopify || {};
      const ask = (error) => resolve(!error && !!shopify.customerPrivacy?.analyticsProcessingAllowed());
      if (shopify.customerPrivacy || !shopify.loadFeatures) ask();
      else shopify.loadFeatures([{ name: "consent-tracking-api", version: "0.1" }], ask);
    }).catch(() => false);
  const test = !holder
    ? Promise.resolve()
    : analyticsAllowed().then((allowed) => {
        const [key, share] = holder.dataset.exp.split(":");
        try {
          if (!allowed) return localStorage.removeItem("upshelf-visitor");
          let visitor = localStorage.getItem("upshelf-visitor");
          if (!visitor) localStorage.setItem("upshelf-visitor", (visitor = crypto.randomUUID()));
          const counted = "upshelf-counted-" + key;
          if (!localStorage.getItem(counted)) {
            navigator.sendBeacon(holder.dataset.proxy + "/visits", JSON.stringify({ experiment: key, visitor }));
            localStorage.setItem(counted, 1);
          }
          return { mark: key + ":" + visitor, held: groupFor(+share, key, visitor) == "holdout" };
        } catch {
          /* Storage or crypto refused: not in the test. */
        }
      });
  // A few tries per page: a cart that refuses the mark (rate limited, say) is not asked forever.
  // A visitor out of the test has any earlier mark removed (a blank attribute is deleted), so an
  // order placed after consent was withdrawn carries no visitor key.
  let marks = 3;
  const markCart = (read) =>
    test
      .then((t) => {
        const mark = t?.mark || "";
        return marks > 0 && read().then((cart) => cart.item_count && (cart.attributes._upshelf_exp || "") != mark && marks-- && call(root + "cart/update.js?upshelf", { attributes: { _upshelf_exp: mark } }, 15000));
      })
      .catch(() => {});
  if (holder) {
    followers.push(markCart);
    setTimeout(markCart, 500, cartNow);
  }

  // --- Start -------------------------------------------------------------------------------------
  const widgets = { fbt, cart: upsell, drawer: upsell, upgrade, "quantity-breaks": quantityBreaks, deals, embed };
  const start = (el) => {
    const run = widgets[el.dataset.upshelf];
    if (!run || "started" in el.dataset) return;
    el.dataset.started = "";
    // Its placement (data-placement, "pdp" or "cart") is written by the block's Liquid, and a drawer
    // copies the embed's: no test of the block's name here, which cost the script bytes.
    // A held-out visitor's widget stays empty, exactly as when the app cannot answer.
    test.then((t) => (t?.held ? Promise.reject() : run(el))).then(
      () => el.classList.add("is-ready"),
      () => failed(el),
    );
  };
  // A widget with nothing to show keeps its reserved space empty; out of view, the space can go
  // without moving anything the buyer sees.
  const failed = (el) => {
    el.classList.remove("is-ready");
    if (el.getBoundingClientRect().top > innerHeight) el.hidden = true;
  };
  const scan = (scope) => scope.querySelectorAll("[data-upshelf]").forEach(start);
  scan(doc);
  doc.addEventListener("shopify:section:load", (event) => scan(event.target));
})();
