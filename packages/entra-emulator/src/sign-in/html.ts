/**
 * Escapes text for HTML content and attribute values.
 *
 * @example
 * ```ts
 * `<p>${escapeHtml(user.displayName)}</p>`;
 * ```
 */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"'`]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * Wraps page content in the emulator's minimal page layout.
 *
 * @example
 * ```ts
 * ctx.sendHtml(200, page('Sign in', '<form>…</form>'));
 * ```
 */
export function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)} - Entra emulator</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font-family:Segoe UI,Helvetica,Arial,sans-serif;background:#f2f2f2;margin:0}
main{max-width:440px;margin:48px auto;background:#fff;padding:36px 44px;box-shadow:0 2px 6px rgba(0,0,0,.2)}
h1{font-size:1.5rem;font-weight:600}label{display:block;margin:12px 0 4px}
input[type=text],input[type=password],input[type=email]{width:100%;box-sizing:border-box;padding:6px;border:0;border-bottom:1px solid #666;font-size:1rem}
button{margin-top:20px;margin-right:8px;padding:6px 24px;font-size:1rem;border:0;background:#0067b8;color:#fff;cursor:pointer}
button.secondary{background:#ccc;color:#000}.error{color:#e81123}.note{color:#666;font-size:.85rem}ul{padding-left:20px}
</style></head>
<body><main><p class="note">Entra ID emulator (local test identity provider)</p>
<h1>${escapeHtml(title)}</h1>
${body}
</main></body></html>`;
}

/**
 * Hidden form fields.
 *
 * @example
 * ```ts
 * hiddenFields({ tx: transaction.id });
 * ```
 */
export function hiddenFields(fields: Record<string, string | undefined>): string {
  return Object.entries(fields)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join('\n');
}
