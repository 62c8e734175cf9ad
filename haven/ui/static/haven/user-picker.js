// The user picker (ui/user_picker.html): turns a plain text input into an ARIA 1.2 combobox with a
// listbox of people from /api/v1/users/lookup (name, collar number, team). Without JavaScript, or if
// the look-up fails, the text box still works: the service accepts a name, collar number or username.

const MIN_CHARS = 2;
const DELAY_MS = 200;
let counter = 0;

function enhance(group) {
  if (group.dataset.enhanced) return;
  group.dataset.enhanced = "true";
  const input = group.querySelector("input");
  const url = group.dataset.lookupUrl;
  const id = input.id || `haven-user-picker-${(counter += 1)}`;
  input.id = id;

  const listbox = document.createElement("ul");
  listbox.id = `${id}-listbox`;
  listbox.className = "haven-user-picker__listbox";
  listbox.setAttribute("role", "listbox");
  listbox.setAttribute("aria-label", "Matching people");
  listbox.hidden = true;
  input.after(listbox);

  const status = document.createElement("div");
  status.className = "govuk-visually-hidden";
  status.setAttribute("role", "status");
  status.setAttribute("aria-live", "polite");
  listbox.after(status);

  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("aria-controls", listbox.id);

  let options = [];
  let active = -1;
  let timer = null;
  let asked = 0;

  function close() {
    listbox.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function highlight(index) {
    const items = listbox.querySelectorAll('[role="option"]');
    items.forEach((item, i) => {
      const on = i === index;
      item.classList.toggle("haven-user-picker__option--active", on);
      item.setAttribute("aria-selected", on ? "true" : "false");
    });
    active = index;
    if (index >= 0 && items[index]) {
      input.setAttribute("aria-activedescendant", items[index].id);
      items[index].scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function choose(index) {
    const person = options[index];
    if (!person) return;
    input.value = person.label;
    close();
    status.textContent = `${person.label} chosen`;
  }

  function show(people) {
    options = people;
    listbox.replaceChildren();
    if (!people.length) {
      const none = document.createElement("li");
      none.className = "haven-user-picker__none";
      none.textContent = "Nobody found";
      none.setAttribute("aria-disabled", "true");
      listbox.append(none);
    }
    people.forEach((person, i) => {
      const item = document.createElement("li");
      item.id = `${id}-option-${i}`;
      item.className = "haven-user-picker__option";
      item.setAttribute("role", "option");
      item.setAttribute("aria-selected", "false");
      const name = document.createElement("span");
      name.className = "haven-user-picker__option-name";
      name.textContent = person.name;
      const detail = document.createElement("span");
      detail.className = "haven-user-picker__option-detail";
      detail.textContent = [person.collar_number, person.team].filter(Boolean).join(", ");
      item.append(name, detail);
      item.addEventListener("mousedown", (event) => event.preventDefault()); // keep focus in the input
      item.addEventListener("click", () => choose(i));
      listbox.append(item);
    });
    listbox.hidden = false;
    input.setAttribute("aria-expanded", "true");
    active = -1;
    const count = people.length;
    status.textContent = count
      ? `${count} ${count === 1 ? "person" : "people"} found. Use the up and down arrows to choose.`
      : "Nobody found";
  }

  async function lookup() {
    const q = input.value.trim();
    if (q.length < MIN_CHARS) {
      close();
      return;
    }
    const ticket = (asked += 1);
    try {
      const response = await fetch(`${url}?q=${encodeURIComponent(q)}`, {
        headers: { Accept: "application/json", "X-Requested-With": "fetch" },
        credentials: "same-origin",
      });
      if (!response.ok || ticket !== asked) return;
      show(await response.json());
    } catch {
      close(); // the plain text box still works
    }
  }

  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(lookup, DELAY_MS);
  });

  input.addEventListener("keydown", (event) => {
    const open = !listbox.hidden && options.length > 0;
    if (event.key === "ArrowDown") {
      event.preventDefault();
      if (listbox.hidden) {
        lookup();
        return;
      }
      if (open) highlight(Math.min(active + 1, options.length - 1));
    } else if (event.key === "ArrowUp") {
      if (open) {
        event.preventDefault();
        highlight(Math.max(active - 1, 0));
      }
    } else if (event.key === "Enter") {
      if (open && active >= 0) {
        event.preventDefault(); // choosing, not submitting the form
        choose(active);
      }
    } else if (event.key === "Escape") {
      if (!listbox.hidden) {
        event.preventDefault();
        close();
      }
    } else if (event.key === "Tab") {
      close();
    }
  });

  input.addEventListener("blur", () => setTimeout(close, 150));
}

document.querySelectorAll('[data-module="haven-user-picker"]').forEach(enhance);
