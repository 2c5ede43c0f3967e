/*
 * Bays panel: fill the Health slots of the table after the page has
 * rendered, reload the Nodes tab in place (Retry, pages), and show the
 * summary of the chosen bay model in the Create Bay wizard.
 * Every fragment comes from this dashboard's own views, already escaped.
 */
(function ($, horizon) {
  'use strict';

  function fillHealth(root) {
    $(root).find('[data-dcos-health-url]').each(function () {
      var $slot = $(this);
      var url = $slot.attr('data-dcos-health-url');
      // Asked once: a slot keeps no URL after its request is sent.
      $slot.removeAttr('data-dcos-health-url');
      horizon.ajax.queue({url: url, dataType: 'html', cache: false})
        .done(function (html) { $slot.replaceWith(html); })
        .fail(function () { $slot.text(gettext('Not available')); });
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
