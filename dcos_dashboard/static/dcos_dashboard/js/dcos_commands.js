/*
 * The equivalent command of a create wizard, kept up to date as the user
 * fills it in: the wizard's form is posted (with its CSRF token) to the
 * panel's command endpoint, which validates it like Create and answers the
 * line or what is still missing; it never creates anything. The Scale form
 * only changes the node count in a line the server quoted.
 * Answers are set as text, never as HTML.
 */
(function ($, horizon) {
  'use strict';

  var DELAY = 400;  // ms without a change before the wizard is asked again

  function askCommand($box) {
    var $form = $box.closest('form');
    var asked = ($box.data('dcosAsked') || 0) + 1;
    $box.data('dcosAsked', asked);
    $.ajax({
      url: $box.attr('data-dcos-command-url'),
      type: 'POST',
      data: $form.serialize(),
      dataType: 'json',
      cache: false
    }).done(function (answer) {
      if ($box.data('dcosAsked') !== asked) { return; }  // a newer one is on its way
      var $line = $box.find('pre.dcos-command-line');
      var $copy = $box.find('button[data-dcos-copy]');
      var $missing = $box.find('.dcos-command-missing');
      var $secrets = $box.find('.dcos-command-secrets');
      var hasCommand = typeof answer.command === 'string';
      $line.text(hasCommand ? answer.command : '').prop('hidden', !hasCommand);
      $copy.text(gettext('Copy')).prop('hidden', !hasCommand);
      $missing.text(hasCommand ? '' : (answer.missing || '')).prop('hidden', hasCommand);
      $secrets.text(answer.secrets || '').prop('hidden', !answer.secrets);
    });
  }

  function schedule($box) {
    clearTimeout($box.data('dcosTimer'));
    $box.data('dcosTimer', setTimeout(function () { askCommand($box); }, DELAY));
  }

  function boxOf(element) {
    return $(element).closest('form').find('[data-dcos-command-url]');
  }

  function setCount(input) {
    var $line = $(input).closest('form').find('[data-dcos-scale-count]');
    // Only a plain positive integer goes in: it needs no quoting in a shell.
    if ($line.length && /^[1-9][0-9]{0,8}$/.test(input.value)) {
      $line.text(input.value);
    }
  }

  horizon.addInitFunction(function () {
    $(document).on('input change', 'form :input', function () {
      var $box = boxOf(this);
      if ($box.length) { schedule($box); }
      if (this.name === 'node_count') { setCount(this); }
    });
    // A wizard opened as a page or as a modal: show its command at once.
    function start(root) {
      $(root).find('[data-dcos-command-url]').each(function () { schedule($(this)); });
      $(root).find('form :input[name="node_count"]').each(function () { setCount(this); });
    }
    start(document);
    $(document).on('shown.bs.modal', '.modal', function () { start(this); });
  });
})(jQuery, horizon);
