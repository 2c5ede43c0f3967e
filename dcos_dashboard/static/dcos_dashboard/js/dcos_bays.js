/*
 * Bays panel: fill the Health slots of the table after the page has
 * rendered, reload the Nodes tab in place (Retry, pages), and show the
 * summary of the chosen bay model in the Create Bay wizard.
 * Every fragment comes from this dashboard's own views, already escaped.
 */
(function ($, horizon) {
  'use strict';

  // A stale answer (the master is being asked by another worker) is shown
  // at once and asked for again after this long.
  var HEALTH_AGAIN_MS = 3000;

  function fillHealth(root) {
    $(root).find('[data-dcos-health-url]').each(function () {
      var $slot = $(this);
      var url = $slot.attr('data-dcos-health-url');
      var later = $slot.attr('data-dcos-health-later');
      // Asked once: a slot keeps no URL after its request is sent.
      $slot.removeAttr('data-dcos-health-url');
      var ask = function () {
        horizon.ajax.queue({url: url, dataType: 'html', cache: false})
          .done(function (html) {
            var $answer = $($.parseHTML(html));
            var $cell = $slot.parent();
            $slot.replaceWith($answer);
            fillHealth($cell);  // a stale answer brings a slot of its own
          })
          .fail(function () {
            if (!later) { $slot.text(gettext('Not available')); }
          });
      };
      if (later) { window.setTimeout(ask, HEALTH_AGAIN_MS); } else { ask(); }
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

    $(document).on('click', 'a[data-dcos-tab-reload]', function (evt) {
      var $pane = $(this).closest('.tab-pane');
      if (!$pane.length) { return; }  // not in a tab: follow the link
      evt.preventDefault();
      $pane.addClass('tab-loading').load(this.getAttribute('href'), function () {
        horizon.tabs.initTabLoad($pane);
      });
    });

    $(document).on('change', 'select#id_cluster_template_id', function () {
      showSummary(this);
    });
  });
})(jQuery, horizon);
