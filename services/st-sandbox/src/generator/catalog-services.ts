import type { EquipmentTemplate, ServiceArea } from './catalog';

export const equipmentCatalog: Record<string, EquipmentTemplate[]> = {
  Furnaces: [
    {
      name: '{80|92|96|98}% AFUE {Single-Stage|Two-Stage|Modulating} Gas Furnace {60|80|100|120}k BTU',
      manufacturers: ['Carrier', 'Trane', 'Lennox', 'Rheem', 'Goodman', 'Bryant'],
      cost: [850, 3400],
      warrantyYears: [10, 12],
      size: [34, 40],
    },
  ],
  'Air Conditioners': [
    {
      name: '{14.3|15.2|16|17.5|20} SEER2 Air Conditioner {1.5|2|2.5|3|3.5|4|5} Ton',
      manufacturers: ['Carrier', 'Trane', 'Lennox', 'Rheem', 'Goodman', 'Daikin'],
      cost: [1350, 4900],
      warrantyYears: [10],
      size: [28, 45],
    },
  ],
  'Heat Pumps': [
    {
      name: '{15.2|16|18|20} SEER2 {Heat Pump|Variable-Speed Heat Pump} {2|2.5|3|3.5|4|5} Ton',
      manufacturers: ['Carrier', 'Trane', 'Lennox', 'Mitsubishi', 'Daikin', 'Goodman'],
      cost: [1800, 6400],
      warrantyYears: [10, 12],
      size: [30, 46],
    },
    {
      name: 'Ductless Mini-Split {9k|12k|18k|24k} BTU {Single-Zone|Multi-Zone}',
      manufacturers: ['Mitsubishi', 'Fujitsu', 'Daikin', 'LG'],
      cost: [1100, 4200],
      warrantyYears: [7, 10, 12],
      size: [22, 34],
    },
  ],
  'Water Heaters': [
    {
      name: '{40|50|75} Gal {Natural Gas|Electric|Propane} Tank Water Heater',
      manufacturers: ['A.O. Smith', 'Bradford White', 'Rheem', 'State'],
      cost: [520, 2100],
      warrantyYears: [6, 8, 10, 12],
      size: [48, 62],
    },
    {
      name: 'Tankless Water Heater {160|180|199}k BTU {Indoor|Outdoor}',
      manufacturers: ['Rinnai', 'Navien', 'Noritz', 'Rheem'],
      cost: [1100, 2800],
      warrantyYears: [12, 15],
      size: [20, 28],
    },
    {
      name: 'Hybrid Heat Pump Water Heater {50|65|80} Gal',
      manufacturers: ['A.O. Smith', 'Rheem', 'Bradford White'],
      cost: [1600, 3200],
      warrantyYears: [10],
      size: [60, 72],
    },
  ],
  Generators: [
    {
      name: '{14|18|22|24|26} kW Air-Cooled Standby Generator',
      manufacturers: ['Generac', 'Kohler', 'Briggs & Stratton', 'Cummins'],
      cost: [3900, 8900],
      warrantyYears: [5, 10],
      size: [29, 48],
    },
  ],
  'Electrical Panels': [
    {
      name: '{100|150|200} A {20|30|40}-Space Main Breaker Panel {Indoor|Outdoor}',
      manufacturers: ['Square D', 'Eaton', 'Siemens', 'Leviton'],
      cost: [165, 640],
      warrantyYears: [1, 5],
      size: [20, 40],
    },
    {
      name: 'EV Charger Level 2 {40|48} A {Hardwired|NEMA 14-50}',
      manufacturers: ['ChargePoint', 'Emporia', 'Tesla', 'Wallbox'],
      cost: [380, 720],
      warrantyYears: [3],
      size: [10, 16],
    },
  ],
};

export const serviceCatalog: Record<string, Record<string, ServiceArea>> = {
  HVAC: {
    Diagnostics: {
      templates: [
        { name: 'HVAC Diagnostic - {Standard|After Hours|Weekend|Holiday}', hours: [0.5, 1.5] },
        { name: 'Refrigerant Leak Search - {Electronic|Dye|Nitrogen Pressure Test}', hours: [1, 3] },
      ],
      materials: [],
      equipment: [],
    },
    Repair: {
      templates: [
        {
          name: 'Replace {Condenser Fan Motor|Blower Motor|Inducer Motor|Run Capacitor|Contactor|Flame Sensor|Ignitor|Pressure Switch|Control Board}',
          hours: [0.75, 3],
        },
        { name: 'Refrigerant Recharge - {Minor|Major} {R-410A|R-454B}', hours: [1, 2.5] },
      ],
      materials: ['Motors', 'Capacitors & Contactors', 'Refrigerant', 'Thermostats & Controls'],
      equipment: [],
    },
    Replacement: {
      templates: [
        { name: 'Replace Evaporator Coil {2|3|4|5} Ton', hours: [4, 8] },
        { name: 'Replace Thermostat - {Standard|Smart|Communicating}', hours: [0.75, 2] },
      ],
      materials: ['Coils', 'Refrigerant', 'Thermostats & Controls'],
      equipment: [],
    },
    Maintenance: {
      templates: [
        {
          name: 'Tune-Up - {Furnace|Air Conditioner|Heat Pump|Mini-Split} {Standard|Premium}',
          hours: [1, 2],
        },
      ],
      materials: ['Filters'],
      equipment: [],
    },
    Installation: {
      templates: [
        {
          name: 'Install {Gas Furnace|Air Conditioner|Heat Pump|Ductless Mini-Split} - {Good|Better|Best}',
          hours: [6, 16],
        },
      ],
      materials: ['Ductwork', 'Refrigerant', 'Thermostats & Controls'],
      equipment: ['Furnaces', 'Air Conditioners', 'Heat Pumps'],
    },
    'Indoor Air Quality': {
      templates: [
        { name: 'Install {Media Filter Cabinet|UV Air Purifier|Whole Home Dehumidifier|ERV}', hours: [2, 6] },
        { name: 'Duct Sealing - {Per Run|Whole Home}', hours: [1, 8] },
      ],
      materials: ['Filters', 'Ductwork'],
      equipment: [],
    },
  },
  Plumbing: {
    Diagnostics: {
      templates: [
        { name: 'Plumbing Diagnostic - {Standard|After Hours|Weekend}', hours: [0.5, 1.5] },
        { name: 'Camera Inspection - {Main Line|Branch Line}', hours: [1, 2] },
      ],
      materials: [],
      equipment: [],
    },
    'Drains & Sewer': {
      templates: [
        { name: 'Clear Drain - {Kitchen|Bathroom Sink|Tub|Floor Drain|Main Line}', hours: [0.75, 3] },
        { name: 'Hydro Jetting - {Up to 100 ft|100-200 ft}', hours: [2, 5] },
      ],
      materials: ['Drain Parts', 'Fittings'],
      equipment: [],
    },
    'Water Heaters': {
      templates: [
        { name: 'Install {Tank|Tankless|Hybrid} Water Heater - {Like for Like|Conversion}', hours: [3, 8] },
        { name: 'Water Heater Repair - {Anode Rod|Thermocouple|Element|Gas Valve}', hours: [1, 2.5] },
      ],
      materials: ['Water Heater Parts', 'Valves', 'Fittings'],
      equipment: ['Water Heaters'],
    },
    Fixtures: {
      templates: [
        {
          name: 'Replace {Kitchen Faucet|Lavatory Faucet|Toilet|Garbage Disposal|Shower Valve}',
          hours: [1, 3],
        },
      ],
      materials: ['Fixtures', 'Valves', 'Fittings'],
      equipment: [],
    },
    Repipe: {
      templates: [{ name: 'Repipe - {Per Fixture|1 Bath Home|2 Bath Home|3 Bath Home}', hours: [3, 24] }],
      materials: ['Pipe & Tubing', 'Fittings', 'Valves'],
      equipment: [],
    },
    'Gas Lines': {
      templates: [{ name: 'Gas Line - {New Appliance Run|Leak Repair|Pressure Test}', hours: [1, 4] }],
      materials: ['Fittings', 'Valves'],
      equipment: [],
    },
  },
  Electrical: {
    Diagnostics: {
      templates: [{ name: 'Electrical Diagnostic - {Standard|After Hours|Weekend}', hours: [0.5, 1.5] }],
      materials: [],
      equipment: [],
    },
    'Panels & Service': {
      templates: [
        { name: 'Panel Upgrade {100|150|200} A - {Standard|With Meter Base}', hours: [6, 12] },
        { name: 'Replace Breaker - {Standard|AFCI|GFCI}', hours: [0.5, 1.5] },
      ],
      materials: ['Breakers', 'Wire & Cable'],
      equipment: ['Electrical Panels'],
    },
    Wiring: {
      templates: [
        {
          name: 'Install {Receptacle|GFCI Receptacle|Switch|Dedicated Circuit|240V Circuit}',
          hours: [0.5, 4],
        },
      ],
      materials: ['Wire & Cable', 'Devices', 'Conduit & Boxes'],
      equipment: [],
    },
    Lighting: {
      templates: [
        {
          name: 'Install {Recessed Light|Ceiling Fan|Exterior Light|Under Cabinet Lighting} - {Existing Wiring|New Wiring}',
          hours: [0.75, 3],
        },
      ],
      materials: ['Lighting', 'Devices'],
      equipment: [],
    },
    Generators: {
      templates: [
        { name: 'Install Standby Generator {14|18|22|26} kW', hours: [8, 16] },
        { name: 'Generator Maintenance - {Annual|Semi-Annual}', hours: [1, 2] },
      ],
      materials: ['Surge Protection', 'Wire & Cable'],
      equipment: ['Generators'],
    },
    'EV Chargers': {
      templates: [{ name: 'Install EV Charger - {Garage|Exterior|Long Run}', hours: [2, 6] }],
      materials: ['Wire & Cable', 'Breakers'],
      equipment: ['Electrical Panels'],
    },
  },
  Membership: {
    'Maintenance Agreements': {
      templates: [
        {
          name: '{Comfort Club|Home Protection Plan|Priority Club} - {Silver|Gold|Platinum} {Monthly|Annual}',
          hours: [0, 0],
        },
      ],
      materials: [],
      equipment: [],
      flatPrice: [9.95, 399],
    },
  },
};
