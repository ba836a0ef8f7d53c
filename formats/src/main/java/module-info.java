/** Model file formats (ONNX, safetensors), tokenizers and the model zoo; arrive with the transformer-model issue. */
module structura.formats {
  requires structura.api;
  requires structura.algorithms;

}
