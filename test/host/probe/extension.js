// Deliberately empty: the activation benchmark's baseline, and a stand-in development extension.
exports.activate = function activate() {
  // Nothing to do: this extension exists to be measured against.
};
exports.deactivate = function deactivate() {
  // Nothing to release.
};
