/* The register: scan, pay, print; sales queue on the device and sync by themselves (see docs/architecture.md).
   Money is kept in integer satang here; the server re-checks every figure. */
"use strict";
(function () {
  const config = JSON.parse(document.getElementById("pos-config").textContent);
  const text = JSON.parse(document.getElementById("pos-text").textContent);
  const lang = (document.documentElement.lang || "th").slice(0, 2);
  const csrf = (JSON.parse(document.body.getAttribute("hx-headers") || "{}"))["X-CSRFToken"] || "";
  const $ = (id) => document.getElementById(id);
  const LOW_WATER = 20;

  let deviceId = localStorage.getItem("otop-pos-device");
  if (!deviceId) {
    deviceId = crypto.randomUUID();
    localStorage.setItem("otop-pos-device", deviceId);
  }

  // --- money in satang -------------------------------------------------------------------
  function satang(value) {
    const match = String(value == null ? "" : value).trim().replace(/,/g, "").match(/^(\d*)(?:\.(\d{0,2}))?$/);
    if (!match || (match[1] === "" && !match[2])) return null;
    return Number(match[1] || "0") * 100 + Number(((match[2] || "") + "00").slice(0, 2));
  }
  // Figures the server sends may be negative (a cash shortage); typed amounts never are.
  function signedSatang(value) {
    const text = String(value == null ? "" : value).trim();
    const negative = text.startsWith("-");
    const amount = satang(negative ? text.slice(1) : text);
    return amount == null ? null : (negative ? -amount : amount);
  }
  function baht(value) {
    const sign = value < 0 ? "-" : "";
    const abs = Math.abs(value);
    const whole = Math.floor(abs / 100).toLocaleString("en-US");
    return sign + "฿" + whole + "." + String(abs % 100).padStart(2, "0");
  }
  function plain(value) { return (value / 100).toFixed(2); }
  function vatIn(total) { return Math.floor((total * 14 + 107) / 214); } // 7/107, halves up

  // --- state -------------------------------------------------------------------------------
  const byCode = new Map();
  let items = [];
  let priceListVersion = "";
  let sale = { lines: [], payments: [], approvalPin: "" };
  let lastSale = null;

  function totals() {
    const gross = sale.lines.reduce((sum, l) => sum + l.unit * l.quantity, 0);
    const subtotal = sale.lines.reduce((sum, l) => sum + l.unit * l.quantity - l.discount, 0);
    const billDiscount = satang($("bill-discount").value) || 0;
    const total = Math.max(0, subtotal - billDiscount);
    const paid = sale.payments.reduce((sum, p) => sum + p.amount, 0);
    const change = sale.payments.reduce((sum, p) => sum + (p.tendered != null ? p.tendered - p.amount : 0), 0);
    return { gross, subtotal, billDiscount, total, paid, change, remaining: total - paid };
  }

  function nameOf(row) { return (lang === "en" && row.name_en) ? row.name_en : row.name_th; }

  // --- drawing -----------------------------------------------------------------------------
  function el(tag, attrs, children) {
    const node = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([k, v]) => {
      if (k === "text") node.textContent = v; else if (k === "on") node.addEventListener("click", v);
      else node.setAttribute(k, v);
    });
    (children || []).forEach((c) => node.append(c));
    return node;
  }

  function draw() {
    const body = $("lines");
    body.replaceChildren();
    sale.lines.forEach((line, index) => {
      const label = el("td", {}, [el("span", { text: line.name })]);
      if (line.labels.length) label.append(el("small", { class: "pos-mods", text: line.labels.join(", ") }));
      if (line.discount) label.append(el("small", { class: "pos-mods", text: text.discount + " " + baht(line.discount) }));
      body.append(el("tr", { class: "pos-line" }, [
        label,
        el("td", { class: "pos-qty" }, [
          el("button", { type: "button", "aria-label": "-", text: "−", on: () => changeQuantity(index, -1) }),
          el("b", { class: "pos-line-qty", text: String(line.quantity) }),
          el("button", { type: "button", "aria-label": "+", text: "+", on: () => changeQuantity(index, 1) }),
        ]),
        el("td", { class: "pos-amount", text: baht(line.unit * line.quantity - line.discount) }),
        el("td", {}, [
          el("button", { type: "button", class: "pos-secondary", text: "%", title: text.discountLine, on: () => lineDiscount(index) }),
          el("button", { type: "button", class: "pos-secondary", text: "×", on: () => { sale.lines.splice(index, 1); draw(); } }),
        ]),
      ]));
    });
    const t = totals();
    $("total").textContent = baht(t.total);
    $("remaining").textContent = baht(Math.max(0, t.remaining));
    $("change").textContent = baht(t.change);
    $("payments").replaceChildren(...sale.payments.map((p) => el("li", { text: text[p.method] + " " + baht(p.amount) + (p.reference ? " · " + p.reference : "") })));
    $("complete").disabled = !(sale.lines.length && t.remaining === 0 && t.total >= 0);
  }

  function changeQuantity(index, delta) {
    const line = sale.lines[index];
    line.quantity = Math.max(1, line.quantity + delta);
    line.discount = Math.min(line.discount, line.unit * line.quantity);
    sale.payments = [];
    draw();
  }

  function lineDiscount(index) {
    const value = satang(window.prompt(text.discountLine, plain(sale.lines[index].discount)));
    if (value == null) return;
    const line = sale.lines[index];
    line.discount = Math.min(value, line.unit * line.quantity);
    sale.payments = [];
    draw();
  }

  function say(message, isError) {
    const box = $("scan-message");
    box.textContent = message;
    box.classList.toggle("pos-error", !!isError);
    if (isError) {
      document.getElementById("register").classList.add("pos-flash");
      setTimeout(() => document.getElementById("register").classList.remove("pos-flash"), 600);
      try {
        const audio = new AudioContext();
        const tone = audio.createOscillator();
        tone.frequency.value = 220;
        tone.connect(audio.destination);
        tone.start();
        tone.stop(audio.currentTime + 0.25);
      } catch (error) { /* no sound device: the red flash still shows */ }
    }
  }

  // --- adding items ------------------------------------------------------------------------
  function addVariant(row) {
    const existing = sale.lines.find((l) => l.variant_id === row.id && !l.discount);
    if (existing) existing.quantity += 1;
    else sale.lines.push({ variant_id: row.id, name: nameOf(row), unit: satang(row.price), quantity: 1, discount: 0, modifiers: {}, labels: [] });
    sale.payments = [];
    say(nameOf(row) + " " + baht(satang(row.price)));
    $("search-results").replaceChildren();
    draw();
  }

  async function handleCode(code) {
    if (!code) return;
    if (/^\d{6,14}$/.test(code) || byCode.has(code)) {
      let row = byCode.get(code);
      if (!row && navigator.onLine) {
        try {
          const response = await api("GET", "/lookup?code=" + encodeURIComponent(code));
          if (response.ok) row = await response.json();
        } catch (error) { /* offline: the snapshot was the answer */ }
      }
      if (row) addVariant(row); else say(text.unknown + ": " + code, true);
      return;
    }
    const found = await searchByName(code);
    if (!found.length) say(text.unknown + ": " + code, true);
  }

  // --- finding by name: as the cashier types, from the device's price list at once, then the server's
  // Thai-aware search; each result shows its picture, producer and price (same names, different villages).
  function producerOf(row) { return (lang === "en" && row.producer_en) ? row.producer_en : (row.producer_th || ""); }

  function itemButton(row, className) {
    const picture = row.image ? [el("img", { src: row.image, alt: "", width: "64", height: "48", loading: "lazy" })] : [];
    return el("button", { type: "button", class: className, on: () => { forgetSearch(); addVariant(row); } }, [
      ...picture,
      el("span", { class: "pos-item-name", text: nameOf(row) }),
      el("span", { class: "pos-item-producer", text: producerOf(row) }),
      el("span", { class: "pos-item-price", text: baht(satang(row.price)) }),
    ]);
  }

  function showResults(found) {
    $("search-results").replaceChildren(...found.map((row) => el("li", {}, [itemButton(row, "pos-result")])));
  }

  function localMatches(query) {
    const wanted = query.toLowerCase();
    return items.filter((row) => row.name_th.toLowerCase().includes(wanted) || row.name_en.toLowerCase().includes(wanted)
      || (row.producer_th || "").toLowerCase().includes(wanted) || (row.producer_en || "").toLowerCase().includes(wanted)).slice(0, 20);
  }

  let searchSerial = 0;
  async function searchByName(query) {
    const serial = ++searchSerial;
    let found = localMatches(query);
    showResults(found);
    if (navigator.onLine) {
      try {
        const response = await api("GET", "/search?q=" + encodeURIComponent(query));
        if (response.ok && serial === searchSerial) { found = await response.json(); showResults(found); }
      } catch (error) { /* keep the local matches */ }
    }
    return found;
  }

  let typingTimer = null;
  // An item was chosen: a search still on its way must not bring the list back.
  function forgetSearch() { clearTimeout(typingTimer); searchSerial += 1; $("scan").value = ""; }
  function searchAsTyped(event) {
    const query = event.target.value.trim();
    clearTimeout(typingTimer);
    // A scanner types digits; a name has letters. Two letters are enough to start.
    if (query.length < 2 || /^\d+$/.test(query)) { if (!query) $("search-results").replaceChildren(); return; }
    showResults(localMatches(query));
    typingTimer = setTimeout(() => searchByName(query), 250);
  }

  function openModifiers(item) {
    const dialog = $("modifiers");
    $("modifiers-title").textContent = nameOf(item) + " " + baht(satang(item.price));
    $("temperature-set").hidden = !item.temperature;
    $("sweetness-set").hidden = !item.sweetness || item.kind !== "drink";
    const sizes = config.options.filter((o) => o.group === "size");
    const extras = config.options.filter((o) => o.group === "extra");
    $("size-set").hidden = item.kind !== "drink" || !sizes.length;
    $("extra-set").hidden = item.kind !== "drink" || !extras.length;
    const legendOf = (id) => $(id).querySelector("legend");
    $("size-set").replaceChildren(legendOf("size-set"), ...sizes.map((o, i) => el("label", {}, [
      el("input", Object.assign({ type: "radio", name: "size", value: o.code }, i === 0 ? { checked: "" } : {})),
      " " + nameOf(o) + (satang(o.price) ? " +" + baht(satang(o.price)) : ""),
    ])));
    $("extra-set").replaceChildren(legendOf("extra-set"), ...extras.map((o) => el("label", {}, [
      el("input", { type: "checkbox", name: "extra", value: o.code }), " " + nameOf(o) + " +" + baht(satang(o.price)),
    ])));
    $("modifiers-form").reset();
    dialog.returnValue = "";
    dialog.onclose = () => {
      if (dialog.returnValue !== "add") return focusScan();
      const form = $("modifiers-form");
      const modifiers = {};
      const labels = [];
      let unit = satang(item.price);
      if (item.temperature) {
        modifiers.temperature = form.querySelector("input[name=temperature]:checked").value;
        labels.push(text[modifiers.temperature]);
      }
      if (item.sweetness && item.kind === "drink") {
        modifiers.sweetness = Number(form.querySelector("input[name=sweetness]:checked").value);
        labels.push(text.sweetness + " " + modifiers.sweetness + "%");
      }
      const size = form.querySelector("input[name=size]:checked");
      if (size && !$("size-set").hidden) {
        const option = sizes.find((o) => o.code === size.value);
        modifiers.size = option.code; unit += satang(option.price); labels.push(nameOf(option));
      }
      modifiers.extras = [];
      form.querySelectorAll("input[name=extra]:checked").forEach((box) => {
        const option = extras.find((o) => o.code === box.value);
        modifiers.extras.push(option.code); unit += satang(option.price); labels.push(nameOf(option));
      });
      sale.lines.push({ menu_item_id: item.id, name: nameOf(item), unit, quantity: 1, discount: 0, modifiers, labels });
      sale.payments = [];
      draw();
      focusScan();
    };
    dialog.showModal();
  }

  // --- payments ----------------------------------------------------------------------------
  async function pay(method) {
    const t = totals();
    if (t.remaining <= 0) return;
    let amount = satang($("pay-amount").value) || t.remaining;
    amount = Math.min(amount, t.remaining);
    const payment = { method, amount, tendered: null, reference: "" };
    if (method === "cash") {
      const tendered = satang($("tendered").value);
      if (tendered != null && tendered > 0) {
        payment.amount = Math.min(tendered, t.remaining);
        payment.tendered = tendered;
      }
    } else if (method === "card") {
      payment.reference = $("card-reference").value.trim();
      if (!payment.reference) { say(text.reference, true); $("card-reference").focus(); return; }
    } else if (method === "promptpay") {
      if (!navigator.onLine) { say(text.needsNetwork, true); return; }
      try {
        const response = await api("GET", "/promptpay?amount=" + plain(amount));
        const body = await response.json();
        if (!response.ok) { say(body.error.message, true); return; }
        $("qr").innerHTML = body.svg; // our own server's SVG for the exact amount
        $("qr").append(el("p", { class: "pos-qr-amount", text: baht(amount) }));
      } catch (error) { say(text.needsNetwork, true); return; }
    }
    sale.payments.push(payment);
    $("pay-amount").value = ""; $("tendered").value = ""; $("card-reference").value = "";
    draw();
  }

  // --- receipt numbers reserved for this device ---------------------------------------------
  function freeNumbers(record) {
    const used = new Set(record.used);
    const free = [];
    record.blocks.slice().sort((a, b) => a.first - b.first).forEach((block) => {
      for (let n = block.first; n <= block.last; n += 1) if (!used.has(n)) free.push(n);
    });
    return free;
  }

  function withNumbers(work) {
    const run = async () => {
      const record = (await posDb.get("numbers", config.register)) || { register: config.register, blocks: [], used: [] };
      const result = await work(record);
      await posDb.put("numbers", record);
      return result;
    };
    return navigator.locks ? navigator.locks.request("otop-pos-numbers-" + config.register, run) : run();
  }

  async function refillNumbers() {
    if (!navigator.onLine) return;
    const record = (await posDb.get("numbers", config.register)) || { blocks: [], used: [] };
    if (record.blocks.length && freeNumbers(record).length >= LOW_WATER) return;
    try {
      const response = await api("POST", "/registers/" + config.register + "/number-blocks", { device_id: deviceId });
      if (!response.ok) return;
      const body = await response.json();
      await withNumbers(async (rec) => {
        body.blocks.forEach((block) => { if (!rec.blocks.some((b) => b.first === block.first)) rec.blocks.push(block); });
        rec.used = Array.from(new Set(rec.used.concat(body.used)));
        const used = new Set(rec.used);
        rec.blocks = rec.blocks.filter((b) => { for (let n = b.first; n <= b.last; n += 1) if (!used.has(n)) return true; return false; });
        rec.used = rec.used.filter((n) => rec.blocks.some((b) => n >= b.first && n <= b.last));
      });
    } catch (error) { /* try again when online */ }
  }

  // --- completing and syncing sales ----------------------------------------------------------
  function api(method, path, body) {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), 8000);
    return fetch(config.api + path, {
      method,
      credentials: "same-origin",
      signal: controller.signal,
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf, "Accept-Language": lang },
      body: body ? JSON.stringify(body) : undefined,
    }).finally(() => clearTimeout(timer));
  }

  function payloadOf(t) {
    return {
      register_code: config.register,
      device_sale_id: crypto.randomUUID(),
      shift_id: config.shiftId,
      sold_at: new Date().toISOString(),
      price_list: priceListVersion,
      bill_discount: plain(t.billDiscount),
      approval_pin: sale.approvalPin,
      recorded_offline: false,
      lines: sale.lines.map((l) => ({
        variant_id: l.variant_id || null, menu_item_id: l.menu_item_id || null, quantity: l.quantity,
        unit_price: plain(l.unit), discount: plain(l.discount), modifiers: l.modifiers,
      })),
      payments: sale.payments.map((p) => ({
        method: p.method, amount: plain(p.amount), tendered: p.tendered == null ? null : plain(p.tendered), reference: p.reference,
      })),
    };
  }

  async function complete() {
    const t = totals();
    if (!sale.lines.length || t.remaining !== 0) return;
    const discount = t.gross - t.total;
    if (discount > 0 && discount * 100 > t.gross * Number(config.discountLimit) && !sale.approvalPin) {
      const pin = window.prompt(text.pin);
      if (!pin) return;
      sale.approvalPin = pin;
    }
    $("complete").disabled = true;
    const payload = payloadOf(t);
    const outcome = await withNumbers(async (record) => {
      const number = freeNumbers(record)[0];
      if (number == null) return { error: text.noNumbers };
      payload.receipt_number = number;
      if (navigator.onLine) {
        let response = null;
        try { response = await api("POST", "/sales", payload); } catch (error) { response = null; }
        if (response && response.ok) {
          record.used.push(number);
          return { server: await response.json() };
        }
        if (response && response.status < 500) {
          const body = await response.json().catch(() => ({ error: { message: String(response.status) } }));
          return { error: body.error.message, code: body.error.code };
        }
      }
      // No answer: the sale happened. Keep it with its number; the sync replays it safely.
      payload.recorded_offline = true;
      record.used.push(number);
      await posDb.put("queue", payload);
      return { queued: true };
    });
    if (outcome.error) {
      if (outcome.code === "approval_required") sale.approvalPin = "";
      say(outcome.error, true);
      draw();
      return;
    }
    finish(payload, outcome);
    refreshPending();
    refillNumbers();
  }

  function finish(payload, outcome) {
    const t = totals();
    lastSale = { payload, server: outcome.server || null };
    renderReceipt(payload, t);
    let message = config.prefix + "-" + String(payload.receipt_number).padStart(6, "0") + " · " + text.change + " " + baht(t.change);
    if (outcome.queued) message += " · " + text.queued;
    if (outcome.server && outcome.server.has_shortfall) message += " · " + text.shortfall;
    $("done-message").textContent = message;
    const link = $("tax-invoice-link");
    link.hidden = !outcome.server;
    if (outcome.server) link.href = outcome.server.receipt_url + "tax-invoice/";
    sale = { lines: [], payments: [], approvalPin: "" };
    $("bill-discount").value = "0";
    $("qr").replaceChildren();
    draw();
    $("done").showModal();
  }

  function renderReceipt(payload, t) {
    const when = new Intl.DateTimeFormat(lang === "th" ? "th-TH-u-ca-buddhist" : "en-GB", { dateStyle: "medium", timeStyle: "short" })
      .format(new Date(payload.sold_at));
    const receipt = $("receipt");
    const rows = [];
    sale.lines.forEach((line) => {
      rows.push(el("tr", {}, [el("td", { text: line.quantity + " × " + line.name }), el("td", { class: "r", text: plain(line.unit * line.quantity - line.discount) })]));
      if (line.labels.length) rows.push(el("tr", {}, [el("td", { class: "mods", text: line.labels.join(", ") }), el("td")]));
    });
    const sums = [];
    if (t.billDiscount) sums.push([text.discount, "-" + plain(t.billDiscount)]);
    sums.push([text.total, plain(t.total)], [text.vat, plain(vatIn(t.total))]);
    sale.payments.forEach((p) => sums.push([text[p.method], plain(p.amount)]));
    if (t.change) sums.push([text.change, plain(t.change)]);
    receipt.replaceChildren(
      el("p", { class: "c b", text: config.seller }),
      el("p", { class: "c", text: text.taxId + " " + config.taxId + " " + text.branch + " " + config.branch }),
      el("p", { class: "c", text: text.receiptTitle }),
      el("p", { class: "receipt-number", text: config.prefix + "-" + String(payload.receipt_number).padStart(6, "0") }),
      el("p", { text: when }),
      el("table", {}, rows),
      el("table", { class: "sums" }, sums.map(([k, v]) => el("tr", {}, [el("td", { text: k }), el("td", { class: "r", text: v })]))),
      el("p", { class: "c", text: text.thanks }),
    );
  }

  async function queuedSales() {
    return (await posDb.all("queue")).filter((p) => p.register_code === config.register);
  }

  async function pendingSales() {
    return (await queuedSales()).filter((p) => !p.refused);
  }

  async function refreshPending() {
    $("pending-count").textContent = String((await pendingSales()).length);
    showRefused((await queuedSales()).filter((p) => p.refused));
  }

  // Sales the server refused stay on the device for the manager: the reason, and a way to send one
  // again (with the manager's PIN when that is what was missing). They no longer hold up the others.
  function showRefused(refused) {
    $("refused").hidden = refused.length === 0;
    $("refused-count").textContent = String(refused.length);
    $("refused-list").replaceChildren(...refused.sort((a, b) => a.receipt_number - b.receipt_number).map((payload) => {
      const paid = payload.payments.reduce((sum, p) => sum + satang(p.amount), 0);
      const retry = el("button", { type: "button", class: "pos-secondary", text: text.sendAgain, on: async () => {
        if (payload.sync_code === "approval_required") {
          const pin = window.prompt(text.pin);
          if (!pin) return;
          payload.approval_pin = pin;
        }
        payload.refused = false;
        await posDb.put("queue", payload);
        await sync();
      } });
      return el("li", {}, [
        el("b", { text: config.prefix + "-" + String(payload.receipt_number).padStart(6, "0") + " · " + baht(paid) }),
        el("span", { text: " " + (payload.sync_error || "") + " " }),
        retry,
      ]);
    }));
  }

  // Answers that say nothing about the sale itself: the session or the device must be sorted out first.
  const SESSION_PROBLEMS = new Set(["not_authenticated", "forbidden", "csrf_failed", "throttled", "pin_locked"]);

  async function sync() {
    if (!navigator.onLine) return;
    const run = async () => {
      const queued = (await pendingSales()).sort((a, b) => a.receipt_number - b.receipt_number);
      for (const payload of queued) {
        let response;
        try { response = await api("POST", "/sales", payload); } catch (error) { break; } // no network
        if (response.ok) { await posDb.remove("queue", payload.device_sale_id); continue; }
        // A server error on one sale is retried later; the sales behind it go on.
        if (response.status >= 500) continue;
        const body = await response.json().catch(() => ({ error: { message: String(response.status), code: "" } }));
        if (SESSION_PROBLEMS.has(body.error.code) || response.status === 401 || response.status === 429) break;
        payload.refused = true;
        payload.sync_error = body.error.message;
        payload.sync_code = body.error.code;
        await posDb.put("queue", payload);
      }
    };
    // One tab syncs at a time; the server's unique key makes an overlap harmless anyway.
    if (navigator.locks) await navigator.locks.request("otop-pos-sync", { ifAvailable: true }, (lock) => lock && run());
    else await run();
    await refreshPending();
    await refillNumbers();
  }

  // --- shifts ------------------------------------------------------------------------------
  function showTill() {
    $("open-shift").hidden = !!config.shiftId;
    $("till").hidden = !config.shiftId;
    $("close-shift-open").hidden = !config.shiftId;
    if (config.shiftId) focusScan(); else $("starting-cash").focus();
  }

  $("open-shift").addEventListener("submit", async (event) => {
    event.preventDefault();
    const cash = satang($("starting-cash").value);
    if (cash == null) return;
    const response = await api("POST", "/registers/" + config.register + "/shifts", { starting_cash: plain(cash) });
    if (response.status === 409) { window.location.reload(); return; }
    const body = await response.json();
    if (!response.ok) { say(body.error.message, true); return; }
    config.shiftId = body.id;
    showTill();
  });

  function showCloseFigures(body) {
    const variance = signedSatang(body.variance);
    $("close-expected").textContent = baht(signedSatang(body.expected_cash));
    $("close-counted").textContent = baht(signedSatang(body.counted_cash));
    const cell = $("close-variance");
    const word = variance < 0 ? cell.dataset.short : variance > 0 ? cell.dataset.over : "";
    // Written as the Z-report writes it: ฿-130.00.
    const shown = variance < 0 ? "฿-" + baht(-variance).slice(1) : baht(variance);
    cell.textContent = shown + (word ? " (" + word + ")" : "");
    cell.classList.toggle("pos-short", variance < 0);
    cell.classList.toggle("pos-over", variance > 0);
    $("close-figures").hidden = false;
  }
  $("close-shift-open").addEventListener("click", () => {
    $("close-result").textContent = "";
    $("close-figures").hidden = true;
    $("close-shift").showModal();
  });
  $("close-shift-cancel").addEventListener("click", () => $("close-shift").close());
  $("close-shift-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    await sync();
    if ((await pendingSales()).length) { $("close-result").textContent = text.closePending; return; }
    const counted = satang($("counted-cash").value);
    if (counted == null) return;
    const response = await api("POST", "/shifts/" + config.shiftId + "/close", { counted_cash: plain(counted) });
    const body = await response.json();
    if (!response.ok) { $("close-result").textContent = body.error.message; return; }
    showCloseFigures(body);
    const link = $("z-report-link");
    link.href = body.z_report_url;
    link.hidden = false;
    config.shiftId = null;
  });

  // --- wiring ------------------------------------------------------------------------------
  function focusScan() { if (!$("till").hidden && !document.querySelector("dialog[open]")) $("scan").focus(); }

  function showNetwork() {
    const online = navigator.onLine;
    $("net-status").textContent = online ? text.online : text.offline;
    $("net-status").classList.toggle("pos-offline", !online);
  }

  $("scan").addEventListener("keydown", (event) => {
    if (event.key !== "Enter") return;
    event.preventDefault();
    clearTimeout(typingTimer);
    const code = event.target.value.trim();
    event.target.value = "";
    handleCode(code);
  });
  $("scan").addEventListener("input", searchAsTyped);
  document.querySelectorAll("[data-pay]").forEach((button) => button.addEventListener("click", () => pay(button.dataset.pay)));
  document.querySelectorAll("[data-menu-id]").forEach((button) => button.addEventListener("click", () => {
    openModifiers(config.menu.find((m) => m.id === Number(button.dataset.menuId)));
  }));
  $("bill-discount").addEventListener("input", () => { sale.payments = []; draw(); });
  $("complete").addEventListener("click", complete);
  $("clear").addEventListener("click", () => { sale = { lines: [], payments: [], approvalPin: "" }; $("qr").replaceChildren(); draw(); });
  $("print").addEventListener("click", () => window.print());
  const networkPrint = $("print-network");
  if (networkPrint) networkPrint.addEventListener("click", async () => {
    if (lastSale && lastSale.server) await api("POST", "/sales/" + lastSale.server.id + "/print");
  });
  $("next-sale").addEventListener("click", () => { $("done").close(); focusScan(); });
  $("done").addEventListener("close", focusScan);
  document.addEventListener("click", (event) => {
    if (!event.target.closest("input, textarea, select, dialog, a")) setTimeout(focusScan, 0);
  });
  window.addEventListener("online", () => { showNetwork(); sync(); });
  window.addEventListener("offline", showNetwork);

  const quickKeys = $("quick-keys");
  if (quickKeys) quickKeys.replaceChildren(...config.quickKeys.map((row) => itemButton(row, "pos-key")));

  async function loadCatalog() {
    try {
      const response = await fetch(config.catalogUrl, { credentials: "same-origin" });
      if (!response.ok) return;
      const list = await response.json();
      items = list.items;
      priceListVersion = list.version || "";
      items.forEach((row) => { if (row.barcode) byCode.set(row.barcode, row); byCode.set(row.sku, row); });
    } catch (error) { /* the service worker's copy failed too: server lookups only */ }
  }

  if ("serviceWorker" in navigator) navigator.serviceWorker.register(config.swUrl, { scope: config.scope }).catch(() => {});
  showNetwork();
  showTill();
  draw();
  window.otopPos = {
    ready: Promise.all([loadCatalog(), refillNumbers()]).then(() => refreshPending()).then(() => sync()),
    sync,
    pending: async () => (await pendingSales()).length,
  };
  // A mark the page can be checked for (tests, kiosk monitors) once the catalogue and numbers are in.
  window.otopPos.ready.then(() => { document.documentElement.dataset.posReady = "true"; });
  setInterval(sync, 20000);
})();
