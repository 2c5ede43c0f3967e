/*
 * Bays panel: fill the Health slots of the table after the page has
 * rendered, reload the Nodes tab in place (Retry, pages), and show the
 * summary of the chosen bay model in the Create Bay wizard.
 * Every fragment comes from this dashboard's own views, already escaped.
 */
(function ($, horizon) {
  'use strict';

  // A stale answer (the master is being asked by another worker) or one
  // not in yet is shown at once and asked for again: soon at first, since
  // the batch answers after a short wait while the fetch runs on, then less
  // often. Past its patience (the server's, else this) a cell is asked no
  // more and says so: the fetches' timeouts give every bay a verdict well
  // before, so this only ends a page whose requests keep failing.
  var AGAIN_FIRST_MS = 250;
  var AGAIN_GROWTH = 1.5;
  var AGAIN_MAX_MS = 3000;
  var PATIENCE_MS = 90000;
  var asking = {};  // bay (or health URL) -> {tries, since}

  // Milliseconds before asking for this cell again; null: give up.
  function againIn(key, patienceMs) {
    var entry = asking[key];
    if (!entry) { entry = asking[key] = {tries: 0, since: Date.now()}; }
    if (Date.now() - entry.since > patienceMs) { return null; }
    var delay = Math.min(AGAIN_FIRST_MS * Math.pow(AGAIN_GROWTH, entry.tries),
                         AGAIN_MAX_MS);
    entry.tries += 1;
    return delay;
  }

  function patienceOf($slot) {
    var seconds = parseFloat($slot.attr('data-dcos-health-patience'));
    return seconds > 0 ? seconds * 1000 : PATIENCE_MS;
  }

  function answered(key, html) {
    if (html.indexOf('data-dcos-health-later') === -1) { delete asking[key]; }
  }

  function giveUp($slot) {
    // A stale answer stays shown, marked as the last known one.
    if ($slot.hasClass('dcos-health-pending')) {
      $slot.removeClass('dcos-health-pending').addClass('dcos-health-none')
        .attr('title', gettext('The master gave no answer in time. Reload the page to ask again.'))
        .text(gettext('Not available'));
    }
  }

  function replaceSlot($slot, html) {
    $slot.replaceWith($($.parseHTML(html)));
  }

  // The cells of a page of the Bays table: one request for all of them
  // (HealthBatchView), with the page's own marker, so a slow master holds
  // no connection per cell.
  function askBatch(batch) {
    var page = new URLSearchParams(window.location.search);
    var query = {bay: $.map(batch.slots, function ($slot) {
      return $slot.attr('data-dcos-health-bay');
    })};
    $.each(['marker', 'prev_marker'], function (i, name) {
      if (page.get(name)) { query[name] = page.get(name); }
    });
    horizon.ajax.queue({url: batch.url, data: $.param(query, true),
                        dataType: 'json', cache: false})
      .done(function (cells) {
        $.each(batch.slots, function (i, $slot) {
          var bay = $slot.attr('data-dcos-health-bay');
          var html = cells[bay];
          if (html !== undefined) {
            answered(bay, html);
            replaceSlot($slot, html);
          } else if (!batch.later) { $slot.text(gettext('Not available')); }
        });
      })
      .fail(function () {
        if (batch.later) {
          // Asked again like a cell not in yet, within its patience.
          askLater({url: batch.url, later: true, slots: batch.slots});
          return;
        }
        $.each(batch.slots, function (i, $slot) {
          $slot.text(gettext('Not available'));
        });
      });
  }

  // Only the cells still missing, once the soonest of them is due.
  function askLater(batch) {
    var due = null;
    var slots = [];
    $.each(batch.slots, function (i, $slot) {
      var delay = againIn($slot.attr('data-dcos-health-bay'), patienceOf($slot));
      if (delay === null) { giveUp($slot); return; }
      slots.push($slot);
      due = due === null ? delay : Math.min(due, delay);
    });
    if (!slots.length) { return; }
    batch.slots = slots;
    window.setTimeout(function () { askBatch(batch); }, due);
  }

  function askOne($slot, url, later) {
    horizon.ajax.queue({url: url, dataType: 'html', cache: false})
      .done(function (html) {
        var $cell = $slot.parent();
        answered(url, html);
        replaceSlot($slot, html);
        fillHealth($cell);  // a stale answer brings a slot of its own
      })
      .fail(function () {
        if (later) { askOneLater($slot, url); }
        else { $slot.text(gettext('Not available')); }
      });
  }

  function askOneLater($slot, url) {
    var delay = againIn(url, patienceOf($slot));
    if (delay === null) { giveUp($slot); return; }
    window.setTimeout(function () { askOne($slot, url, true); }, delay);
  }

  function fillHealth(root) {
    var batches = {};
    $(root).find('[data-dcos-health-url]').each(function () {
      var $slot = $(this);
      var url = $slot.attr('data-dcos-health-url');
      var later = !!$slot.attr('data-dcos-health-later');
      var batchUrl = $slot.attr('data-dcos-health-batch');
      // Asked once: a slot keeps no URL after its request is sent.
      $slot.removeAttr('data-dcos-health-url');
      if (batchUrl && $slot.attr('data-dcos-health-bay')) {
        var key = batchUrl + (later ? ' later' : '');
        batches[key] = batches[key] || {url: batchUrl, later: later, slots: []};
        batches[key].slots.push($slot);
      } else if (later) {
        askOneLater($slot, url);
      } else {
        askOne($slot, url, later);
      }
    });
    $.each(batches, function (key, batch) {
      if (batch.later) {
        askLater(batch);
      } else {
        askBatch(batch);
      }
    });
  }

  function showSummary(select) {
    var $summaries = $('[data-dcos-summary-for="' + select.id + '"]');
    $summaries.find('[data-dcos-baymodel]').each(function () {
      var $item = $(this);
      var shown = !select.value || $item.attr('data-dcos-baymodel') === select.value;
      $item.prop('hidden', !shown);
    });
  }

  // Usage columns of the Nodes table sort by percent, not by their text.
  if ($.tablesorter) {
    $.tablesorter.addParser({
      id: 'dcosUsage',
      is: function () { return false; },
      format: function (s, table, cell) {
        return parseFloat($(cell).find('[aria-valuenow]').attr('aria-valuenow')) || 0;
      },
      type: 'numeric'
    });
  }

  horizon.addInitFunction(function () {
    fillHealth(document.body);
    // Rows Horizon refreshes bring new slots once their bay has an address.
    var bays = document.getElementById('bays');
    if (bays && window.MutationObserver) {
      new MutationObserver(function () { fillHealth(bays); })
        .observe(bays, {childList: true, subtree: true});
    }

    // Reload a tab in place; its query goes into the address bar, so the
    // filtered, sorted page of nodes can be shared as a link.
    function reloadTab($pane, query) {
      $pane.addClass('tab-loading').load(query, function () {
        horizon.tabs.initTabLoad($pane);
      });
      if (window.history && window.history.replaceState) {
        window.history.replaceState(null, '', window.location.pathname + query);
      }
    }

    $(document).on('click', 'a[data-dcos-tab-reload]', function (evt) {
      var $pane = $(this).closest('.tab-pane');
      if (!$pane.length) { return; }  // not in a tab: follow the link
      evt.preventDefault();
      reloadTab($pane, this.getAttribute('href'));
    });

    $(document).on('submit', 'form[data-dcos-tab-form]', function (evt) {
      var $pane = $(this).closest('.tab-pane');
      if (!$pane.length) { return; }  // not in a tab: submit as a page
      evt.preventDefault();
      var params = $(this).serializeArray().filter(function (p) { return p.value; });
      reloadTab($pane, '?' + $.param(params));
    });

    // Copy a command line (templates/dcos_dashboard/_commands.html).
    $(document).on('click', 'button[data-dcos-copy]', function () {
      var $button = $(this);
      var line = document.getElementById($button.attr('data-dcos-copy'));
      if (!line) { return; }
      var text = line.textContent;
      var copied = function () { $button.text(gettext('Copied')); };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(copied);
      } else {
        var range = document.createRange();
        range.selectNodeContents(line);
        var selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
        if (document.execCommand('copy')) { copied(); }
      }
    });

    $(document).on('change', 'select#id_cluster_template_id', function () {
      showSummary(this);
    });
  });
})(jQuery, horizon);
