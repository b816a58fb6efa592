// Elements built node by node: text from the node or a partner is set as text, never parsed as markup.

/** A table cell, or any element, with text content only (remote data never becomes markup). */
export function element(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) {
    node.textContent = String(text);
  }
  if (className) {
    node.className = className;
  }
  return node;
}

/** A plain button (never a form's submit) that runs onClick. */
export function button(text, className, onClick) {
  const node = element("button", text, className);
  node.type = "button";
  node.addEventListener("click", onClick);
  return node;
}

/** An SVG element with its attributes, and text content when given. */
export function svgElement(tag, attributes, text) {
  const node = document.createElementNS("http://www.w3.org/2000/svg", tag);
  for (const [name, value] of Object.entries(attributes)) {
    node.setAttribute(name, String(value));
  }
  if (text !== undefined && text !== null) {
    node.textContent = String(text);
  }
  return node;
}
